import { useCallback, useEffect, useState } from "react";
import { request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import type { AdminReportsQuery, ReportAction } from "../../gql/graphql";

const AdminReportsQueryDocument = graphql(`
  query AdminReports($after: String) {
    allReports(open: true, first: 50, after: $after) {
      edges {
        node {
          id
          channel {
            username
          }
          reason
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
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const AdminResolveReportMutation = graphql(`
  mutation AdminResolveReport($id: ID!, $a: ReportAction!) {
    resolveReport(id: $id, action: $a) {
      id
    }
  }
`);

type OpenReport = AdminReportsQuery["allReports"]["edges"][number]["node"];

/**
 * The open reports of every channel. Operators resolve any with a site ban or dismiss it; the
 * room's own actions (delete, time out, ban in that chat) stay with its moderators.
 */
export function ReportsTab() {
  const { t, lang, toast } = useApp();
  const [reports, setReports] = useState<OpenReport[] | null>(null);
  const [more, setMore] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (after: string | null) => {
      const page = (await request(AdminReportsQueryDocument, { after })).allReports;
      const found = page.edges.map((e) => e.node);
      setReports((list) => (after ? [...(list ?? []), ...found] : found));
      setMore(page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null);
    },
    [],
  );

  useEffect(() => {
    load(null).catch((e: Error) => toast("error", e.message));
  }, [load, toast]);

  const resolve = async (id: string, action: ReportAction) => {
    setBusy(true);
    try {
      await request(AdminResolveReportMutation, { id, a: action });
      toast("success", t("reportResolved"));
      await load(null);
    } catch (e) {
      toast("error", (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (reports === null) return <p className="muted">{t("loading")}</p>;
  return (
    <section className="panel" data-testid="admin-reports">
      {reports.length === 0 ? (
        <p className="muted">{t("noReports")}</p>
      ) : (
        <ul className="studio-list">
          {reports.map((r) => (
            <li key={r.id} data-testid="admin-report" data-report-id={r.id}>
              <span>
                <strong>@{r.targetUser?.username ?? "?"}</strong> {r.channel && <Link to={`/${r.channel.username}`}>{t("adminInChannel", { channel: r.channel.username })}</Link>}
                {r.messageText && <q className="reported-text">{r.messageText}</q>}
                <br />
                <small className="muted">
                  {r.reason} · {t("reportedBy", { name: r.reporter?.username ?? "?" })} · {new Date(r.createdAt).toLocaleString(lang)}
                </small>
              </span>
              <span className="spacer" />
              <button type="button" className="danger" data-testid="admin-report-siteban" disabled={busy} onClick={() => resolve(r.id, "SITE_BAN")}>
                {t("adminSiteBan")}
              </button>
              <button type="button" className="ghost" data-testid="admin-report-dismiss" disabled={busy} onClick={() => resolve(r.id, "DISMISS")}>
                {t("resolveDismiss")}
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
  );
}
