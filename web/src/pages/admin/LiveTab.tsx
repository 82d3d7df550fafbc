import { useEffect, useState } from "react";
import { request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import type { AdminLiveQuery } from "../../gql/graphql";
import { DataTable } from "../../components/DataTable";

const AdminLiveQueryDocument = graphql(`
  query AdminLive {
    adminLiveChannels(first: 50) {
      edges {
        node {
          channel {
            id
            username
            displayName
            viewerCount
            streamTitle
            categorySlug
          }
          stream {
            title
            startedAt
            viewerCount
          }
          health {
            ingest
            lastHeartbeatAt
            transcode {
              renditions
              fellBack
              reason
            }
          }
        }
      }
    }
  }
`);

type Row = AdminLiveQuery["adminLiveChannels"]["edges"][number]["node"];

/** Who is live, with viewers and how each broadcast comes in; read again every 10 s. */
export function LiveTab() {
  const { t, lang, toast } = useApp();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    let stopped = false;
    const load = () =>
      request(AdminLiveQueryDocument)
        .then((d) => {
          if (stopped) return;
          setRows(d.adminLiveChannels.edges.map((e) => e.node));
          setNow(Date.now());
        })
        .catch((e: Error) => !stopped && toast("error", e.message));
    void load();
    const timer = setInterval(load, 10_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [toast]);

  if (rows === null) return <p className="muted">{t("loading")}</p>;
  return (
    <section className="panel" data-testid="admin-live">
      <p className="muted">{t("adminRefreshes")}</p>
      {rows.length === 0 ? (
        <p className="muted">{t("adminNoneLive")}</p>
      ) : (
        <DataTable
          className="admin-table"
          rows={rows}
          rowKey={(r) => r.channel.id}
          rowData={(r) => ({ "data-testid": "admin-live-row", "data-username": r.channel.username })}
          columns={[
            {
              header: t("adminChannel"),
              cell: (r) => (
                <>
                  <Link to={`/${r.channel.username}`}>{r.channel.displayName}</Link>
                  {r.channel.categorySlug && <small className="muted"> · {r.channel.categorySlug}</small>}
                </>
              ),
            },
            { header: t("adminTitleCol"), cell: (r) => r.stream?.title ?? r.channel.streamTitle },
            { header: t("adminViewers"), testId: "admin-live-viewers", cell: (r) => r.stream?.viewerCount ?? r.channel.viewerCount },
            { header: t("adminStarted"), cell: (r) => (r.stream ? new Date(r.stream.startedAt).toLocaleTimeString(lang) : "—") },
            { header: t("adminIngest"), cell: (r) => <IngestHealth health={r.health} now={now} /> },
          ]}
        />
      )}
    </section>
  );
}

/** A live channel's ingest: state, last heartbeat and the transcoder's renditions (or why it fell back). */
function IngestHealth({ health, now }: { health: Row["health"]; now: number }) {
  const { t } = useApp();
  if (!health) return <>—</>;
  return (
    <>
      {health.ingest}
      {health.lastHeartbeatAt && (
        <small className="muted">
          {" "}
          · {t("adminHeartbeat", { seconds: String(Math.max(0, Math.round((now - Date.parse(health.lastHeartbeatAt)) / 1000))) })}
        </small>
      )}
      <br />
      {health.transcode ? (
        <small className={health.transcode.fellBack ? "error-text" : undefined}>
          {t("adminRenditions")}: {health.transcode.renditions.join(", ")}
          {health.transcode.fellBack && <> · {t("adminFellBack", { reason: health.transcode.reason ?? "" })}</>}
        </small>
      ) : (
        <small className="muted">{t("adminNoTranscode")}</small>
      )}
    </>
  );
}
