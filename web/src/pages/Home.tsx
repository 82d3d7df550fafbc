import { useCallback, useEffect, useState } from "react";
import { request } from "../api";
import { useApp } from "../context";
import { graphql } from "../gql";
import { ChannelCard, ChannelGrid, PAGE_SIZE, toPage, usePagedChannels, type DirectoryChannel } from "../components/discovery/Directory";
import { useLiveChannels } from "../components/discovery/liveChannels";
import { EmptyState } from "../components/discovery/EmptyState";
import { languageName, useStreamLanguages } from "../components/discovery/languages";

const SearchChannelsQuery = graphql(`
  query SearchChannels($q: String!, $first: Int!, $after: String, $language: String) {
    searchChannels(query: $q, first: $first, after: $after, language: $language) {
      edges {
        node {
          ...DirectoryChannel
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const RecommendedChannelsQuery = graphql(`
  query RecommendedChannels($first: Int!) {
    recommendedChannels(first: $first) {
      ...DirectoryChannel
    }
  }
`);

/** How many recommended channels the home page shows (one row on a wide screen). */
const RECOMMENDED = 4;

/** Channels to suggest (live ones first; the most followed offline ones when few are live), for everyone. */
function useRecommended(): DirectoryChannel[] | null {
  const { me } = useApp();
  const [list, setList] = useState<DirectoryChannel[] | null>(null);
  useEffect(() => {
    let current = true;
    request(RecommendedChannelsQuery, { first: RECOMMENDED })
      .then((d) => current && setList(d.recommendedChannels))
      .catch(() => current && setList([]));
    return () => {
      current = false;
    };
  }, [me?.id]);
  return list;
}

function storedLanguage(): string {
  return localStorage.getItem("wg-directory-language") ?? "";
}

export function Home() {
  const { t, lang } = useApp();
  const [query, setQuery] = useState("");
  const [search, setSearch] = useState("");
  const [language, setLanguage] = useState(storedLanguage);
  const languages = useStreamLanguages();

  useEffect(() => {
    const timer = setTimeout(() => setSearch(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);

  const chooseLanguage = (code: string) => {
    localStorage.setItem("wg-directory-language", code);
    setLanguage(code);
  };

  const live = useLiveChannels(null, false, null, language || null);
  const recommended = useRecommended();
  const fetchResults = useCallback(
    (after: string | null) =>
      request(SearchChannelsQuery, { q: search, first: PAGE_SIZE, after, language: language || null }).then((d) => toPage(d.searchChannels)),
    [search, language],
  );
  const results = usePagedChannels(search ? fetchResults : null);

  return (
    <div className="home">
      <div className="home-filters">
        <input
          className="search"
          type="search"
          data-testid="search"
          placeholder={t("search")}
          aria-label={t("search")}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <select aria-label={t("filterLanguage")} data-testid="language-filter" value={language} onChange={(e) => chooseLanguage(e.target.value)}>
          <option value="">{t("anyLanguage")}</option>
          {languages.map((l) => (
            <option key={l.code} value={l.code}>
              {languageName(l.code, lang, l.nativeName)}
            </option>
          ))}
        </select>
      </div>
      {search ? (
        <section>
          <h2>{t("searchResults")}</h2>
          <ChannelGrid list={results} empty={t("noResults")} testId="search-results" />
        </section>
      ) : (
        <>
          {recommended && recommended.length > 0 && (
            <section>
              <h2>{t("recommended")}</h2>
              <div className="grid" data-testid="recommended">
                {recommended.map((c) => (
                  <ChannelCard key={c.id} c={c} testId={`recommended-card-${c.username}`} />
                ))}
              </div>
            </section>
          )}
          <section>
            <h2>{t("liveNow")}</h2>
            <ChannelGrid
              list={live}
              empty={t("nobodyLive")}
              testId="live-channels"
              emptyTestId="nobody-live"
              emptyContent={language ? undefined : <EmptyState />}
            />
          </section>
        </>
      )}
    </div>
  );
}
