import { useCallback, useEffect, useRef, useState } from "react";
import { createClient } from "graphql-ws";
import { request, subscribe } from "../api";
import { useApp } from "../context";
import { graphql } from "../gql";
import type { BellItemFragment } from "../gql/graphql";

graphql(`
  fragment BellItem on Notification {
    id
    kind
    createdAt
    read
    title
    text
    url
  }
`);

const UnreadCountQuery = graphql(`
  query UnreadNotificationCount {
    unreadNotificationCount
  }
`);

const BellListQuery = graphql(`
  query BellNotifications($first: Int!) {
    notifications(first: $first) {
      edges {
        node {
          ...BellItem
        }
      }
    }
    unreadNotificationCount
  }
`);

const MarkReadMutation = graphql(`
  mutation MarkNotificationsRead($ids: [ID!]) {
    markNotificationsRead(ids: $ids)
  }
`);

const NotificationAddedSubscription = graphql(`
  subscription NotificationAdded {
    notificationAdded {
      id
      kind
    }
  }
`);

/** The path of a notification's link, so it opens inside the app whatever PublicBaseUrl says. */
function localPath(url: string): string {
  try {
    const u = new URL(url, location.href);
    return `${u.pathname}${u.search}`;
  } catch {
    return "/";
  }
}

/**
 * The top bar's bell: the unread count, kept live by the notificationAdded subscription over
 * graphql-ws (the session cookie signs the socket in), and the newest notifications in a drop-down.
 */
export function NotificationBell() {
  const { t, lang, navigate, toast } = useApp();
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<BellItemFragment[] | null>(null);
  const [live, setLive] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const openRef = useRef(open);
  openRef.current = open;

  const refreshCount = useCallback(() => {
    request(UnreadCountQuery)
      .then((d) => setUnread(d.unreadNotificationCount))
      .catch(() => undefined);
  }, []);

  const loadList = useCallback(() => {
    request(BellListQuery, { first: 20 })
      .then((d) => {
        setItems(d.notifications.edges.map((e) => e.node));
        setUnread(d.unreadNotificationCount);
      })
      .catch((e: Error) => toast("error", e.message));
  }, [toast]);

  // New notifications arrive over the socket; titles are rendered in our language by a fresh HTTP read.
  useEffect(() => {
    refreshCount();
    let settle: ReturnType<typeof setTimeout> | undefined;
    // What the subscription may have missed: the count here, and (through the event) whatever else on
    // the page follows notifications, such as the followed-channels sidebar.
    const resync = () => {
      refreshCount();
      dispatchEvent(new Event("wg:notifications-resync"));
    };
    const client = createClient({
      url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
      retryAttempts: 10,
      on: {
        // Look again once connected (after a reconnect we may have missed some), and once more a moment
        // later: a notification written while the subscription was still being set up is pushed to nobody.
        connected: () => {
          setLive(true);
          resync();
          clearTimeout(settle);
          settle = setTimeout(resync, 2000);
        },
        closed: () => setLive(false),
      },
    });
    const stop = subscribe(
      client,
      NotificationAddedSubscription,
      {},
      {
        next: (result) => {
          if (openRef.current) loadList();
          else refreshCount();
          // Others on the page care too: the followed-channels sidebar looks again on a go-live notice.
          const kind = result.data?.notificationAdded.kind;
          if (kind) dispatchEvent(new CustomEvent("wg:notification", { detail: kind }));
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    // Go-live notices of big channels are not pushed one by one: look now and then as well.
    const timer = setInterval(refreshCount, 60_000);
    return () => {
      clearInterval(timer);
      clearTimeout(settle);
      stop();
      void client.dispose();
    };
  }, [refreshCount, loadList]);

  useEffect(() => {
    if (!open) return undefined;
    loadList();
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open, loadList]);

  const markRead = async (ids?: string[]) => {
    try {
      setUnread((await request(MarkReadMutation, { ids: ids ?? null })).markNotificationsRead);
      setItems((list) => list?.map((n) => (!ids || ids.includes(n.id) ? { ...n, read: true } : n)) ?? null);
    } catch (e) {
      toast("error", (e as Error).message);
    }
  };

  const openItem = (n: BellItemFragment) => {
    if (!n.read) void markRead([n.id]);
    setOpen(false);
    navigate(localPath(n.url));
  };

  return (
    <div className="bell" ref={root} data-testid="bell-root" data-live={live}>
      <button
        type="button"
        className="ghost bell-button"
        aria-label={t("notificationsUnread", { count: String(unread) })}
        aria-expanded={open}
        aria-haspopup="true"
        data-testid="bell"
        onClick={() => setOpen((o) => !o)}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && (
          <span className="bell-count" data-testid="bell-count">
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </button>
      {open && (
        <div className="bell-panel" role="dialog" aria-label={t("notificationsTab")} data-testid="bell-panel">
          <div className="bell-head">
            <strong>{t("notificationsTab")}</strong>
            <div className="spacer" />
            <button type="button" className="ghost small" disabled={unread === 0} data-testid="bell-mark-all" onClick={() => void markRead()}>
              {t("markAllRead")}
            </button>
          </div>
          {items === null ? (
            <p className="muted">{t("loading")}</p>
          ) : items.length === 0 ? (
            <p className="muted" data-testid="bell-empty">
              {t("noNotifications")}
            </p>
          ) : (
            <ul className="bell-list">
              {items.map((n) => (
                <li key={n.id}>
                  <button type="button" className={`bell-item${n.read ? "" : " unread"}`} data-testid="notification" data-read={n.read} onClick={() => openItem(n)}>
                    <span className="bell-title">{n.title}</span>
                    <span className="bell-text">{n.text}</span>
                    <span className="muted small">{new Date(n.createdAt).toLocaleString(lang)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <button type="button" className="ghost small bell-settings" onClick={() => { setOpen(false); navigate("/settings/notifications"); }}>
            {t("notificationSettingsLink")}
          </button>
        </div>
      )}
    </div>
  );
}
