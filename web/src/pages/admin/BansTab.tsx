import { useCallback, useEffect, useState, type FormEvent } from "react";
import { GqlError, request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import type { AdminSiteBansQuery } from "../../gql/graphql";

const AdminSiteBansQueryDocument = graphql(`
  query AdminSiteBans($after: String) {
    siteBans(first: 50, after: $after) {
      edges {
        node {
          userId
          reason
          bannedAt
          user {
            username
          }
          bannedBy {
            username
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

const AdminFindUserQuery = graphql(`
  query AdminFindUser($u: String!) {
    channel(username: $u) {
      id
      username
    }
  }
`);

const AdminBanMutation = graphql(`
  mutation AdminBan($u: ID!, $r: String!) {
    banUserSitewide(userId: $u, reason: $r) {
      userId
    }
  }
`);

const AdminUnbanMutation = graphql(`
  mutation AdminUnban($u: ID!) {
    unbanUserSitewide(userId: $u)
  }
`);

type Ban = AdminSiteBansQuery["siteBans"]["edges"][number]["node"];

/** Ban a user by username with a reason; the accounts banned now, each with "lift ban". */
export function BansTab() {
  const { t, lang, toast } = useApp();
  const [bans, setBans] = useState<Ban[] | null>(null);
  const [more, setMore] = useState<string | null>(null);
  const [username, setUsername] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (after: string | null) => {
    const page = (await request(AdminSiteBansQueryDocument, { after })).siteBans;
    const found = page.edges.map((e) => e.node);
    setBans((list) => (after ? [...(list ?? []), ...found] : found));
    setMore(page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null);
  }, []);

  useEffect(() => {
    load(null).catch((e: Error) => toast("error", e.message));
  }, [load, toast]);

  const act = async (action: () => Promise<string>) => {
    setBusy(true);
    try {
      toast("success", await action());
      await load(null);
    } catch (e) {
      toast("error", (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const ban = (e: FormEvent) => {
    e.preventDefault();
    const name = username.trim().replace(/^@/, "");
    if (!name || !reason.trim()) return;
    void act(async () => {
      const found = (await request(AdminFindUserQuery, { u: name })).channel;
      if (!found) throw new GqlError({ message: t("noSuchUser", { name }), extensions: { code: "NOT_FOUND" } });
      await request(AdminBanMutation, { u: found.id, r: reason });
      setUsername("");
      setReason("");
      return t("adminBanned", { name: found.username });
    });
  };

  return (
    <>
      <section className="panel" data-testid="admin-ban-form">
        <h2>{t("adminBanUser")}</h2>
        <p className="muted">{t("adminBanHint")}</p>
        <form className="row wrap" onSubmit={ban}>
          <input data-testid="admin-ban-username" placeholder={t("username")} aria-label={t("username")} autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
          <input data-testid="admin-ban-reason" placeholder={t("adminBanReason")} aria-label={t("adminBanReason")} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="submit" className="danger" data-testid="admin-ban-submit" disabled={busy || !username.trim() || !reason.trim()}>
            {t("adminBan")}
          </button>
        </form>
      </section>
      <section className="panel" data-testid="admin-bans">
        <h2>{t("adminTabBans")}</h2>
        {bans === null ? (
          <p className="muted">{t("loading")}</p>
        ) : bans.length === 0 ? (
          <p className="muted">{t("adminNoBans")}</p>
        ) : (
          <ul className="studio-list">
            {bans.map((b) => (
              <li key={b.userId} data-testid="admin-ban" data-username={b.user?.username ?? ""}>
                <span>
                  {b.user ? <Link to={`/${b.user.username}`}>@{b.user.username}</Link> : b.userId}
                  <br />
                  <small className="muted">
                    {b.reason} · {t("adminBannedBy", { name: b.bannedBy?.username ?? "?", when: new Date(b.bannedAt).toLocaleString(lang) })}
                  </small>
                </span>
                <span className="spacer" />
                <button
                  type="button"
                  className="ghost"
                  data-testid="admin-unban"
                  disabled={busy}
                  onClick={() =>
                    act(async () => {
                      await request(AdminUnbanMutation, { u: b.userId });
                      return t("adminUnbanned", { name: b.user?.username ?? b.userId });
                    })
                  }
                >
                  {t("adminUnban")}
                </button>
              </li>
            ))}
          </ul>
        )}
        {more && (
          <button type="button" className="ghost" onClick={() => load(more).catch((e: Error) => toast("error", e.message))}>
            {t("adminLoadMore")}
          </button>
        )}
      </section>
    </>
  );
}
