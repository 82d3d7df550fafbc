import { useCallback, useEffect, useState } from "react";
import { request } from "../api";
import { useApp } from "../context";
import { graphql } from "../gql";
import { ChannelGrid, PAGE_SIZE, toPage, usePagedChannels } from "./Directory";

const LiveChannelsQuery = graphql(`
  query LiveChannels($first: Int!, $after: String, $category: String) {
    liveChannels(first: $first, after: $after, category: $category) {
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

const SearchChannelsQuery = graphql(`
  query SearchChannels($q: String!, $first: Int!, $after: String) {
    searchChannels(query: $q, first: $first, after: $after) {
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

/** Live channels, most watched first; `category` narrows them to one category. Nothing is asked while `skip`. */
export function useLiveChannels(category: string | null, skip = false) {
  const fetchPage = useCallback(
    (after: string | null) => request(LiveChannelsQuery, { first: PAGE_SIZE, after, category }).then((d) => toPage(d.liveChannels)),
    [category],
  );
  return usePagedChannels(skip ? null : fetchPage);
}

export function Home() {
  const { t } = useApp();
  const [query, setQuery] = useState("");
  const [search, setSearch] = useState("");

  useEffect(() => {
    const timer = setTimeout(() => setSearch(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);

  const live = useLiveChannels(null);
  const fetchResults = useCallback(
    (after: string | null) => request(SearchChannelsQuery, { q: search, first: PAGE_SIZE, after }).then((d) => toPage(d.searchChannels)),
    [search],
  );
  const results = usePagedChannels(search ? fetchResults : null);

  return (
    <div className="home">
      <input
        className="search"
        type="search"
        data-testid="search"
        placeholder={t("search")}
        aria-label={t("search")}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {search ? (
        <section>
          <h2>{t("searchResults")}</h2>
          <ChannelGrid list={results} empty={t("noResults")} testId="search-results" />
        </section>
      ) : (
        <section>
          <h2>{t("liveNow")}</h2>
          <ChannelGrid list={live} empty={t("nobodyLive")} testId="live-channels" emptyTestId="nobody-live" />
        </section>
      )}
    </div>
  );
}
