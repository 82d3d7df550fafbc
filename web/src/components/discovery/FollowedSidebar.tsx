import { useCallback, useEffect, useState } from "react";
import { request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import type { FollowedSidebarQuery } from "../../gql/graphql";

const FollowedSidebarQueryDocument = graphql(`
  query FollowedSidebar($first: Int!) {
    followedChannels(first: $first) {
      edges {
        node {
          id
          username
          displayName
          avatarUrl
          isLive
          viewerCount
          streamTitle
          categorySlug
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

type Followed = FollowedSidebarQuery["followedChannels"]["edges"][number]["node"];

/** How many followed channels the sidebar lists (live ones come first); the rest are on /following. */
const SHOWN = 12;

/** How often the sidebar looks again for who went live when no notice arrived (big channels are not pushed one by one). */
const REFRESH_MS = 60_000;

/**
 * The signed-in viewer's followed channels, live ones first with their viewers: asked on mount, on
 * every go-live notice the bell receives (`wg:notification`), when the bell's subscription has
 * just (re)connected and may have missed one (`wg:notifications-resync`), and every minute.
 */
export function FollowedSidebar() {
  const { t } = useApp();
  const [channels, setChannels] = useState<Followed[] | null>(null);
  const [more, setMore] = useState(false);

  const load = useCallback(() => {
    request(FollowedSidebarQueryDocument, { first: SHOWN })
      .then((d) => {
        setChannels(d.followedChannels.edges.map((e) => e.node));
        setMore(d.followedChannels.pageInfo.hasNextPage);
      })
      .catch(() => setChannels((list) => list ?? []));
  }, []);

  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    const onNotice = (e: Event) => {
      const kind = (e as CustomEvent<string>).detail;
      if (kind === "STREAM_STARTED") load();
    };
    addEventListener("wg:notification", onNotice);
    addEventListener("wg:follows-changed", load);
    addEventListener("wg:notifications-resync", load);
    return () => {
      clearInterval(timer);
      removeEventListener("wg:notification", onNotice);
      removeEventListener("wg:follows-changed", load);
      removeEventListener("wg:notifications-resync", load);
    };
  }, [load]);

  return (
    <aside className="followed-sidebar" data-testid="followed-sidebar" aria-label={t("followedChannels")}>
      <h2>{t("followedChannels")}</h2>
      {channels === null ? (
        <p className="muted">{t("loading")}</p>
      ) : channels.length === 0 ? (
        <p className="muted small" data-testid="followed-empty">
          {t("followedEmpty")}
        </p>
      ) : (
        <ul>
          {channels.map((c) => (
            <li key={c.id}>
              <Link to={`/${c.username}`} className={c.isLive ? "followed live" : "followed"} testId={`followed-${c.username}`}>
                {c.avatarUrl ? <img className="avatar" src={c.avatarUrl} alt="" /> : <span className="avatar placeholder">{c.displayName[0]}</span>}
                <span className="followed-text">
                  <span className="followed-name">{c.displayName}</span>
                  {c.isLive && c.streamTitle && c.streamTitle !== c.displayName && (
                    <span className="muted followed-title" title={c.streamTitle}>
                      {c.streamTitle}
                    </span>
                  )}
                </span>
                {c.isLive ? (
                  <span className="followed-viewers" data-testid="followed-live" title={t("live")}>
                    <span className="live-dot" aria-hidden="true" /> {c.viewerCount}
                  </span>
                ) : (
                  <span className="muted small">{t("offline")}</span>
                )}
              </Link>
            </li>
          ))}
        </ul>
      )}
      {more && (
        <Link to="/following" testId="followed-all">
          {t("showAll")}
        </Link>
      )}
    </aside>
  );
}
