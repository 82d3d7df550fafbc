import { useEffect, useState } from "react";
import { request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import type { AdminLiveQuery } from "../../gql/graphql";

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
        <table className="admin-table">
          <thead>
            <tr>
              <th>{t("adminChannel")}</th>
              <th>{t("adminTitleCol")}</th>
              <th>{t("adminViewers")}</th>
              <th>{t("adminStarted")}</th>
              <th>{t("adminIngest")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.channel.id} data-testid="admin-live-row" data-username={r.channel.username}>
                <td>
                  <Link to={`/${r.channel.username}`}>{r.channel.displayName}</Link>
                  {r.channel.categorySlug && <small className="muted"> · {r.channel.categorySlug}</small>}
                </td>
                <td>{r.stream?.title ?? r.channel.streamTitle}</td>
                <td data-testid="admin-live-viewers">{r.stream?.viewerCount ?? r.channel.viewerCount}</td>
                <td>{r.stream ? new Date(r.stream.startedAt).toLocaleTimeString(lang) : "—"}</td>
                <td>
                  {r.health ? (
                    <>
                      {r.health.ingest}
                      {r.health.lastHeartbeatAt && (
                        <small className="muted">
                          {" "}
                          · {t("adminHeartbeat", { seconds: String(Math.max(0, Math.round((now - Date.parse(r.health.lastHeartbeatAt)) / 1000))) })}
                        </small>
                      )}
                      <br />
                      {r.health.transcode ? (
                        <small className={r.health.transcode.fellBack ? "error-text" : undefined}>
                          {t("adminRenditions")}: {r.health.transcode.renditions.join(", ")}
                          {r.health.transcode.fellBack && <> · {t("adminFellBack", { reason: r.health.transcode.reason ?? "" })}</>}
                        </small>
                      ) : (
                        <small className="muted">{t("adminNoTranscode")}</small>
                      )}
                    </>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
