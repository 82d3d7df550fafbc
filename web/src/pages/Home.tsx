import { useEffect, useState } from "react";
import { request } from "../api";
import { Link, useApp } from "../context";
import { graphql } from "../gql";
import type { DirectoryChannelFragment as DirectoryChannel } from "../gql/graphql";

graphql(`
  fragment DirectoryChannel on ChannelSummary {
    username
    displayName
    avatarUrl
    isLive
    viewerCount
    streamTitle
    categorySlug
  }
`);

const LiveChannelsQuery = graphql(`
  query LiveChannels($first: Int!, $after: String) {
    liveChannels(first: $first, after: $after) {
      edges {
        node {
          ...DirectoryChannel
        }
      }
    }
  }
`);

const SearchChannelsQuery = graphql(`
  query SearchChannels($q: String!) {
    searchChannels(query: $q, first: 20) {
      edges {
        node {
          ...DirectoryChannel
        }
      }
    }
  }
`);

function ChannelCard({ c }: { c: DirectoryChannel }) {
  const { t } = useApp();
  return (
    <Link to={`/${c.username}`} className="card" testId={`channel-card-${c.username}`}>
      <div className="card-head">
        {c.avatarUrl ? <img className="avatar" src={c.avatarUrl} alt="" /> : <span className="avatar placeholder">{c.displayName[0]}</span>}
        <strong>{c.displayName}</strong>
        {c.isLive && <span className="badge-live">{t("live")}</span>}
      </div>
      {c.streamTitle && <div className="muted">{c.streamTitle}</div>}
      {c.isLive && (
        <div className="muted">
          {c.viewerCount} {t("viewers")}
          {c.categorySlug ? ` · ${c.categorySlug}` : ""}
        </div>
      )}
    </Link>
  );
}

export function Home() {
  const { t, toast } = useApp();
  const [live, setLive] = useState<DirectoryChannel[] | null>(null);
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<DirectoryChannel[] | null>(null);

  useEffect(() => {
    request(LiveChannelsQuery, { first: 24 })
      .then((d) => setLive(d.liveChannels.edges.map((e) => e.node)))
      .catch((e: Error) => toast("error", e.message));
  }, [toast]);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setResults(null);
      return;
    }
    const timer = setTimeout(() => {
      request(SearchChannelsQuery, { q })
        .then((d) => setResults(d.searchChannels.edges.map((e) => e.node)))
        .catch((e: Error) => toast("error", e.message));
    }, 250);
    return () => clearTimeout(timer);
  }, [query, toast]);

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
      {results && (
        <section>
          <h2>{t("searchResults")}</h2>
          {results.length === 0 ? <p className="muted">{t("noResults")}</p> : <div className="grid" data-testid="search-results">{results.map((c) => <ChannelCard key={c.username} c={c} />)}</div>}
        </section>
      )}
      <section>
        <h2>{t("liveNow")}</h2>
        {live === null ? (
          <p className="muted">{t("loading")}</p>
        ) : live.length === 0 ? (
          <p className="muted" data-testid="nobody-live">{t("nobodyLive")}</p>
        ) : (
          <div className="grid">{live.map((c) => <ChannelCard key={c.username} c={c} />)}</div>
        )}
      </section>
    </div>
  );
}
