import { useCallback, useEffect, useState, type FormEvent } from "react";
import { GqlError, request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import type { ModerationAction, ReportAction, StudioModerationLogQuery, StudioReportsQuery, StudioSafetyQuery } from "../../gql/graphql";
import { usePaged, type Paged } from "../../paging";
import type { Key } from "../../i18n";
import { HeldQueuePanel } from "../../components/chat/HeldMessages";
import { DataTable } from "../../components/DataTable";
import { LoadMoreButton } from "../../components/LoadMore";

type Safety = StudioSafetyQuery;

const StudioSafetyQueryDocument = graphql(`
  query StudioSafety($c: ID!) {
    chatBlockedTerms(channelId: $c)
    chatRoom(channelId: $c) {
      vips {
        id
        username
        displayName
      }
    }
  }
`);

const StudioModerationLogQuery = graphql(`
  query StudioModerationLog($c: ID!, $after: String) {
    moderationLog(channelId: $c, first: 20, after: $after) {
      edges {
        node {
          action
          at
          reason
          details
          actor {
            username
          }
          targetUser {
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

const StudioReportsQuery = graphql(`
  query StudioReports($c: ID!) {
    channelReports(channelId: $c, open: true, first: 50) {
      edges {
        node {
          id
          reason
          messageId
          messageText
          createdAt
          reporter {
            username
          }
          targetUser {
            username
          }
        }
      }
    }
  }
`);

const StudioResolveReportMutation = graphql(`
  mutation StudioResolveReport($id: ID!, $a: ReportAction!) {
    resolveReport(id: $id, action: $a) {
      id
    }
  }
`);

const StudioAddBlockedTermMutation = graphql(`
  mutation StudioAddBlockedTerm($c: ID!, $t: String!) {
    addChatBlockedTerm(channelId: $c, term: $t)
  }
`);

const StudioRemoveBlockedTermMutation = graphql(`
  mutation StudioRemoveBlockedTerm($c: ID!, $t: String!) {
    removeChatBlockedTerm(channelId: $c, term: $t)
  }
`);

const StudioVipUserQuery = graphql(`
  query StudioVipUser($u: String!) {
    channel(username: $u) {
      id
    }
  }
`);

const StudioAddVipMutation = graphql(`
  mutation StudioAddVip($c: ID!, $u: ID!) {
    addVip(channelId: $c, userId: $u)
  }
`);

const StudioRemoveVipMutation = graphql(`
  mutation StudioRemoveVip($c: ID!, $u: ID!) {
    removeVip(channelId: $c, userId: $u)
  }
`);

const actionWords: Record<ModerationAction, Key> = {
  DELETE_MESSAGE: "modDeleteMessage",
  TIMEOUT: "modTimeout",
  BAN: "modBan",
  UNBAN: "modUnban",
  ADD_MODERATOR: "modAddModerator",
  REMOVE_MODERATOR: "modRemoveModerator",
  ADD_VIP: "modAddVip",
  REMOVE_VIP: "modRemoveVip",
  SETTINGS_CHANGED: "modSettingsChanged",
  BLOCKED_TERM_ADDED: "modBlockedTermAdded",
  BLOCKED_TERM_REMOVED: "modBlockedTermRemoved",
  APPROVE_HELD_MESSAGE: "modApproveHeldMessage",
  DENY_HELD_MESSAGE: "modDenyHeldMessage",
  LINK_DOMAINS_CHANGED: "modLinkDomainsChanged",
  PIN_MESSAGE: "modPinMessage",
  UNPIN_MESSAGE: "modUnpinMessage",
  CLEAR_CHAT: "modClearChat",
};

/** The AutoMod queue, the channel's blocked terms and VIPs, its reports, and the log of everything its moderators did. */
export function SafetyTab({ channelId }: { channelId: string }) {
  const { t, toast } = useApp();
  const [safety, setSafety] = useState<Safety | null>(null);
  const [term, setTerm] = useState("");
  const [vipName, setVipName] = useState("");
  const [busy, setBusy] = useState(false);
  const fetchLog = useCallback(async (after: string | null) => (await request(StudioModerationLogQuery, { c: channelId, after })).moderationLog, [channelId]);
  const onError = useCallback((e: Error) => toast("error", e.message), [toast]);
  const log = usePaged(fetchLog, onError);
  const reloadLog = log.reload;

  const load = useCallback(() => {
    request(StudioSafetyQueryDocument, { c: channelId })
      .then(setSafety)
      .catch((e: Error) => toast("error", e.message));
  }, [channelId, toast]);

  useEffect(load, [load]);

  const act = async (action: () => Promise<unknown>, done: () => string) => {
    setBusy(true);
    try {
      await action();
      toast("success", done());
      load();
      reloadLog();
    } catch (e) {
      toast("error", (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const block = async (e: FormEvent) => {
    e.preventDefault();
    const value = term.trim();
    if (!value) return;
    await act(async () => {
      await request(StudioAddBlockedTermMutation, { c: channelId, t: value });
      setTerm("");
    }, () => t("termBlocked", { term: value }));
  };

  const addVip = async (e: FormEvent) => {
    e.preventDefault();
    const name = vipName.trim().replace(/^@/, "");
    if (!name) return;
    await act(async () => {
      const found = (await request(StudioVipUserQuery, { u: name })).channel;
      if (!found) throw new GqlError({ message: t("noSuchUser", { name }), extensions: { code: "NOT_FOUND" } });
      await request(StudioAddVipMutation, { c: channelId, u: found.id });
      setVipName("");
    }, () => t("vipAdded", { name }));
  };

  if (!safety) return <p className="muted">{t("loading")}</p>;
  return (
    <>
      <HeldQueuePanel channelId={channelId} onDecided={reloadLog} />
      <section className="panel" data-testid="blocked-terms">
        <h2>{t("blockedTermsTitle")}</h2>
        <p className="muted">{t("blockedTermsHint")}</p>
        <form className="row wrap" onSubmit={block}>
          <input data-testid="blocked-term-input" placeholder={t("blockedTerm")} aria-label={t("blockedTerm")} maxLength={50} value={term} onChange={(e) => setTerm(e.target.value)} />
          <button type="submit" data-testid="blocked-term-add" disabled={busy || !term.trim()}>
            {t("addBlockedTerm")}
          </button>
        </form>
        {safety.chatBlockedTerms.length === 0 ? (
          <p className="muted">{t("noBlockedTerms")}</p>
        ) : (
          <ul className="studio-list">
            {safety.chatBlockedTerms.map((x) => (
              <li key={x} data-testid="blocked-term" data-term={x}>
                <code>{x}</code>
                <span className="spacer" />
                <button
                  type="button"
                  className="ghost"
                  data-testid="blocked-term-remove"
                  disabled={busy}
                  onClick={() => act(() => request(StudioRemoveBlockedTermMutation, { c: channelId, t: x }), () => t("termUnblocked", { term: x }))}
                >
                  {t("remove")}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" data-testid="vips">
        <h2>{t("vipsTitle")}</h2>
        <p className="muted">{t("vipsHint")}</p>
        <form className="row wrap" onSubmit={addVip}>
          <input data-testid="vip-username" placeholder={t("username")} aria-label={t("username")} autoComplete="off" value={vipName} onChange={(e) => setVipName(e.target.value)} />
          <button type="submit" data-testid="vip-add" disabled={busy || !vipName.trim()}>
            {t("addVip")}
          </button>
        </form>
        {safety.chatRoom.vips.length === 0 ? (
          <p className="muted">{t("noVips")}</p>
        ) : (
          <ul className="studio-list">
            {safety.chatRoom.vips.map((v) => (
              <li key={v.id} data-testid="vip" data-username={v.username}>
                <Link to={`/${v.username}`}>{v.displayName}</Link>
                <span className="muted">@{v.username}</span>
                <span className="spacer" />
                <button
                  type="button"
                  className="danger"
                  disabled={busy}
                  onClick={() => act(() => request(StudioRemoveVipMutation, { c: channelId, u: v.id }), () => t("vipRemoved", { name: v.username }))}
                >
                  {t("remove")}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <Reports channelId={channelId} onResolved={reloadLog} />
      <ModerationLog log={log} />
    </>
  );
}

type OpenReport = StudioReportsQuery["channelReports"]["edges"][number]["node"];

/** The channel's open reports, each resolved with one click (the action is carried out in its chat). */
function Reports({ channelId, onResolved }: { channelId: string; onResolved: () => void }) {
  const { t, lang, toast } = useApp();
  const [reports, setReports] = useState<OpenReport[] | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    request(StudioReportsQuery, { c: channelId })
      .then((d) => setReports(d.channelReports.edges.map((e) => e.node)))
      .catch((e: Error) => toast("error", e.message));
  }, [channelId, toast]);
  useEffect(load, [load]);

  const resolve = async (id: string, action: ReportAction) => {
    setBusy(true);
    try {
      await request(StudioResolveReportMutation, { id, a: action });
      toast("success", t("reportResolved"));
      load();
      onResolved();
    } catch (e) {
      toast("error", (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (reports === null) return null;
  return (
    <section className="panel" data-testid="reports">
      <h2>{t("reportsTitle")}</h2>
      {reports.length === 0 ? (
        <p className="muted">{t("noReports")}</p>
      ) : (
        <ul className="studio-list">
          {reports.map((r) => (
            <li key={r.id} data-testid="report" data-report-id={r.id}>
              <span>
                <strong>@{r.targetUser?.username ?? "?"}</strong>
                {r.messageText && <q className="reported-text">{r.messageText}</q>}
                <br />
                <small className="muted">
                  {r.reason} · {t("reportedBy", { name: r.reporter?.username ?? "?" })} · {new Date(r.createdAt).toLocaleString(lang)}
                </small>
              </span>
              <span className="spacer" />
              <span className="row wrap">
                {r.messageId && (
                  <button type="button" className="ghost" data-testid="resolve-delete" disabled={busy} onClick={() => void resolve(r.id, "DELETE_MESSAGE")}>
                    {t("resolveDelete")}
                  </button>
                )}
                <button type="button" className="ghost" data-testid="resolve-timeout" disabled={busy} onClick={() => void resolve(r.id, "TIMEOUT")}>
                  {t("resolveTimeout")}
                </button>
                <button type="button" className="danger" data-testid="resolve-ban" disabled={busy} onClick={() => void resolve(r.id, "BAN")}>
                  {t("resolveBan")}
                </button>
                <button type="button" className="ghost" data-testid="resolve-dismiss" disabled={busy} onClick={() => void resolve(r.id, "DISMISS")}>
                  {t("resolveDismiss")}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type LogEntry = StudioModerationLogQuery["moderationLog"]["edges"][number]["node"];

function ModerationLog({ log }: { log: Paged<LogEntry> }) {
  const { t, lang } = useApp();
  if (log.items === null) return null;
  return (
    <section className="panel" data-testid="moderation-log">
      <h2>{t("moderationLogTitle")}</h2>
      {log.items.length === 0 ? (
        <p className="muted">{t("noModerationYet")}</p>
      ) : (
        <DataTable
          className="mod-log"
          rows={log.items}
          rowKey={(e, i) => `${e.at}-${i}`}
          rowData={(e) => ({ "data-testid": "moderation-entry", "data-action": e.action })}
          columns={[
            { header: t("logWhen"), cell: (e) => new Date(e.at).toLocaleString(lang) },
            { header: t("logWho"), cell: (e) => (e.actor ? `@${e.actor.username}` : "—") },
            { header: t("logWhat"), cell: (e) => t(actionWords[e.action]) },
            { header: t("logWhom"), cell: (e) => (e.targetUser ? `@${e.targetUser.username}` : "") },
            { header: t("logWhy"), className: "details", cell: (e) => [e.reason, e.details].filter(Boolean).join(" · ") },
          ]}
        />
      )}
      <LoadMoreButton paged={log} />
    </section>
  );
}
