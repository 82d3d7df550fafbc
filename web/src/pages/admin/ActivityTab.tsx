import { useEffect, useMemo, useState } from "react";
import { request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { AdminActivityQuery } from "../../gql/graphql";
import { Figure } from "../../components/analytics/Figure";
import { formatInterval, formatNumber } from "../../components/analytics/figures";
import { TimeChart, type ChartSeries } from "../../components/analytics/TimeChart";
import "../../components/analytics/analytics.css";

const AdminActivityDocument = graphql(`
  query AdminActivity {
    platformActivity(minutes: 60) {
      intervalSeconds
      liveChannelsNow
      viewersNow
      points {
        at
        liveChannels
        viewers
        chatMessagesPerSecond
        lateHeartbeats
        fellBack
      }
    }
  }
`);

type Activity = AdminActivityQuery["platformActivity"];

/** The platform over the last hour: live channels, viewers, chat per second and ingest health, one point per sample interval; read again every 10 s. */
export function ActivityTab() {
  const { t, lang, toast } = useApp();
  const [data, setData] = useState<Activity | null>(null);

  useEffect(() => {
    let stopped = false;
    const load = () =>
      request(AdminActivityDocument)
        .then((d) => !stopped && setData(d.platformActivity))
        .catch((e: Error) => !stopped && toast("error", e.message));
    void load();
    const timer = setInterval(load, 10_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [toast]);

  // Charts are redrawn only when a point changes, not on every read.
  const key = data ? JSON.stringify(data.points) : "";
  const charts = useMemo(() => {
    if (!data) return null;
    const times = data.points.map((p) => Date.parse(p.at) / 1000);
    const live: ChartSeries[] = [
      { label: t("anLiveNow"), kind: "line", color: "live", values: data.points.map((p) => p.liveChannels) },
      { label: t("anViewers"), kind: "line", color: "accent", rightAxis: true, digits: 1, values: data.points.map((p) => p.viewers) },
    ];
    const chat: ChartSeries[] = [{ label: t("adminChatPerSecond"), kind: "bars", color: "chat", digits: 2, values: data.points.map((p) => p.chatMessagesPerSecond) }];
    const ingest: ChartSeries[] = [
      { label: t("adminLateHeartbeats"), kind: "bars", color: "live", values: data.points.map((p) => p.lateHeartbeats) },
      { label: t("adminFellBackCount"), kind: "bars", color: "sponsor", values: data.points.map((p) => p.fellBack) },
    ];
    return { times, live, chat, ingest };
  }, [key, t]);

  if (!data || !charts) return <p className="muted">{t("loading")}</p>;
  const last = data.points[data.points.length - 1];
  return (
    <section className="panel" data-testid="admin-activity" data-points={String(data.points.length)}>
      <div className="an-head">
        <h2>{t("adminActivityTitle")}</h2>
        <span className="muted">{t("adminActivityRefreshes", { interval: formatInterval(data.intervalSeconds, lang) })}</span>
      </div>
      <dl className="an-figures">
        <Figure label={t("adminLiveChannelsNow")} value={formatNumber(data.liveChannelsNow, lang)} testId="admin-live-now" />
        <Figure label={t("adminViewersNow")} value={formatNumber(data.viewersNow, lang)} testId="admin-viewers-now" />
        <Figure label={t("adminChatPerSecond")} value={last ? formatNumber(last.chatMessagesPerSecond, lang, 2) : "—"} testId="admin-chat-rate" />
        <Figure label={t("adminIngestProblems")} value={last ? formatNumber(last.lateHeartbeats + last.fellBack, lang) : "—"} testId="admin-ingest-problems" />
      </dl>
      <div className="an-charts">
        <TimeChart times={charts.times} series={charts.live} label={t("adminLiveChannelsChart")} lang={lang} testId="admin-chart-live" sync="admin-activity" />
        <TimeChart times={charts.times} series={charts.chat} label={t("adminChatPerSecond")} lang={lang} testId="admin-chart-chat" height={150} sync="admin-activity" />
        <TimeChart times={charts.times} series={charts.ingest} label={t("adminIngestProblems")} lang={lang} testId="admin-chart-ingest" height={150} sync="admin-activity" />
      </div>
    </section>
  );
}
