import { useCallback, useState } from "react";
import { request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import type { BlockedUsersQuery } from "../../gql/graphql";
import { usePaged } from "../../paging";
import { UnblockUserMutation } from "../../components/blocking";

type Block = BlockedUsersQuery["blockedUsers"]["edges"][number]["node"];

const BlockedUsersQueryDocument = graphql(`
  query BlockedUsers($after: String) {
    blockedUsers(first: 20, after: $after) {
      edges {
        node {
          userId
          blockedAt
          user {
            username
            displayName
            avatarUrl
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** /settings/blocked: everyone the user blocked, newest first, each with Unblock. */
export function BlockedUsers() {
  const { t, lang, toast } = useApp();
  const onError = useCallback((e: Error) => toast("error", e.message), [toast]);
  const fetchPage = useCallback(async (after: string | null) => (await request(BlockedUsersQueryDocument, { after })).blockedUsers, []);
  const { items, hasMore, loading, loadMore } = usePaged<Block>(fetchPage, onError);
  // Unblocked here: they leave the list at once, without reloading what was paged in.
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());

  const unblock = async (b: Block) => {
    try {
      await request(UnblockUserMutation, { u: b.userId });
      setGone((s) => new Set([...s, b.userId]));
      toast("success", t("userUnblocked", { name: b.user?.displayName ?? t("deletedUser") }));
    } catch (e) {
      toast("error", (e as Error).message);
    }
  };

  if (!items) return <p className="muted">{t("loading")}</p>;
  const shown = items.filter((b) => !gone.has(b.userId));
  return (
    <section className="panel" data-testid="blocked-users">
      <h2>{t("blockedTab")}</h2>
      <p className="muted">{t("blockedHint")}</p>
      {shown.length === 0 ? (
        <p className="muted" data-testid="no-blocked-users">
          {t("noBlockedUsers")}
        </p>
      ) : (
        <ul className="sessions">
          {shown.map((b) => (
            <li key={b.userId} className="session" data-testid="blocked-user">
              {b.user?.avatarUrl ? <img className="avatar" src={b.user.avatarUrl} alt="" /> : <span className="avatar placeholder">{(b.user?.displayName ?? "?")[0]}</span>}
              <div>
                {b.user ? (
                  <Link to={`/${b.user.username}`} testId="blocked-user-name">
                    {b.user.displayName}
                  </Link>
                ) : (
                  <span className="muted">{t("deletedUser")}</span>
                )}
                <div className="muted">{t("blockedSince", { date: new Date(b.blockedAt).toLocaleDateString(lang) })}</div>
              </div>
              <div className="spacer" />
              <button type="button" className="ghost" data-testid="unblock-user" onClick={() => void unblock(b)}>
                {t("unblock")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {hasMore && (
        <button type="button" className="ghost" disabled={loading} onClick={loadMore}>
          {t("loadMore")}
        </button>
      )}
    </section>
  );
}
