import { useEffect, useMemo, useState } from "react";
import { GqlError, request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import type { BroadcastAnalyticsQuery } from "../../gql/graphql";
import { Figure } from "../../components/analytics/Figure";
import { download, formatInterval, formatLength, formatNumber, formatRevenue, seriesCsv } from "../../components/analytics/figures";
import { TimeChart, type ChartSeries } from "../../components/analytics/TimeChart";

const BroadcastAnalyticsDocument = graphql(`
  query BroadcastAnalytics($s: ID!) {
    broadcastAnalytics(streamId: $s) {
      sampleIntervalSeconds
      summary {
        ...BroadcastFigures
      }
      series(maxPoints: 2000) {
        at
        durationSeconds
        viewers
        averageViewers
        peakViewers
        chatMessages
        chatters
        follows
        newSponsors
        revenue {
          amount
          currency
        }
      }
    }
  }
`);

type Analytics = BroadcastAnalyticsQuery["broadcastAnalytics"];

/** Read again this soon while a just-ended broadcast's last sample is on its way (seconds; the server makes it final within two minutes at most). */
const SETTLING_RELOAD_MS = 3000;

/** One broadcast: its figures, the viewers and chat over time with follows and sponsors marked, and its series as CSV. Read again every sample interval while live, and until its figures are final once it ends. */
export function BroadcastAnalytics({ streamId }: { streamId: string }) {
  const { t, lang, toast } = useApp();
  const [data, setData] = useState<Analytics | null>(null);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      request(BroadcastAnalyticsDocument, { s: streamId })
        .then((d) => {
          if (stopped) return;
          setData(d.broadcastAnalytics);
          const { live, final } = d.broadcastAnalytics.summary;
          if (live) timer = setTimeout(load, Math.max(10, d.broadcastAnalytics.sampleIntervalSeconds) * 1000);
          else if (!final) timer = setTimeout(load, SETTLING_RELOAD_MS);
        })
        .catch((e: Error) => {
          if (stopped) return;
          if (e instanceof GqlError && (e.code === "NOT_FOUND" || e.code === "FORBIDDEN")) setMissing(true);
          else toast("error", e.message);
        });
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [streamId, toast]);

  const charts = useMemo(() => {
    if (!data) return null;
    const times = data.series.map((p) => Date.parse(p.at) / 1000);
    const viewers: ChartSeries[] = [
      { label: t("anAverageViewers"), kind: "line", color: "accent", digits: 1, values: data.series.map((p) => p.averageViewers) },
      { label: t("anFollows"), kind: "points", color: "follow", rightAxis: true, values: data.series.map((p) => (p.follows > 0 ? p.follows : null)) },
      { label: t("anSponsors"), kind: "points", color: "sponsor", rightAxis: true, values: data.series.map((p) => (p.newSponsors > 0 ? p.newSponsors : null)) },
    ];
    const chat: ChartSeries[] = [{ label: t("anChatMessages"), kind: "bars", color: "chat", values: data.series.map((p) => p.chatMessages) }];
    return { times, viewers, chat };
  }, [data, t]);

  const back = (
    <Link to="/dashboard/analytics" testId="an-back">
      {t("anAllBroadcasts")}
    </Link>
  );
  if (missing)
    return (
      <section className="panel" data-testid="an-missing">
        {back}
        <p>{t("anNotFound")}</p>
      </section>
    );
  if (!data || !charts) return <p className="muted">{t("loading")}</p>;

  const s = data.summary;
  const exportCsv = () => download(`broadcast-${s.startedAt.slice(0, 10)}-${s.streamId}.csv`, seriesCsv(data.series), "text/csv;charset=utf-8");
  return (
    <section className="panel" data-testid="an-broadcast" data-stream-id={s.streamId} data-live={s.live ? "true" : "false"} data-final={s.final ? "true" : "false"}>
      {back}
      <div className="an-head">
        <h2 data-testid="an-broadcast-title">{s.title}</h2>
        {s.live && <span className="badge-live">{t("live")}</span>}
        <span className="muted">
          {new Date(s.startedAt).toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" })}
          {s.category && <> · {s.category}</>}
        </span>
        <span className="spacer" />
        <button type="button" className="ghost" data-testid="an-export" onClick={exportCsv} disabled={data.series.length === 0}>
          {t("anExportCsv")}
        </button>
      </div>
      <dl className="an-figures" data-testid="an-figures">
        <Figure label={t("anDuration")} value={formatLength(s.durationSeconds, lang)} />
        <Figure label={t("anAverageViewers")} value={formatNumber(s.averageViewers, lang, 1)} testId="an-average-viewers" />
        <Figure label={t("anPeakViewers")} value={formatNumber(s.peakViewers, lang)} testId="an-peak-viewers" />
        <Figure label={t("anWatchTime")} value={formatLength(s.minutesWatched * 60, lang)} />
        <Figure label={t("anChatMessages")} value={formatNumber(s.chatMessages, lang)} testId="an-chat-messages" />
        <Figure label={t("anChatters")} value={formatNumber(s.chatters, lang)} testId="an-chatters" />
        <Figure label={t("anFollows")} value={formatNumber(s.follows, lang)} testId="an-follows" />
        <Figure label={t("anSponsors")} value={formatNumber(s.newSponsors, lang)} testId="an-sponsors" />
        <Figure label={t("anRevenue")} value={formatRevenue(s.revenue, lang)} testId="an-revenue" />
      </dl>
      {data.series.length === 0 ? (
        <p className="muted" data-testid="an-no-samples">
          {t("anNoSamples")}
        </p>
      ) : (
        <>
          <p className="muted">
            {t("anSampledNote", { sampled: formatLength(s.sampledSeconds, lang), duration: formatLength(s.durationSeconds, lang) })}
            {s.live && <> {t("anRefreshesLive")}</>}
            {!s.live && !s.final && <> {t("anSettling")}</>}
          </p>
          <div className="an-charts">
            <TimeChart times={charts.times} series={charts.viewers} label={`${t("anViewers")} · ${t("anMarkers")}`} lang={lang} testId="an-chart-viewers" sync={s.streamId} />
            <TimeChart
              times={charts.times}
              series={charts.chat}
              label={t("anChatPer", { interval: formatInterval(data.sampleIntervalSeconds, lang) })}
              lang={lang}
              testId="an-chart-chat"
              height={160}
              sync={s.streamId}
            />
          </div>
        </>
      )}
    </section>
  );
}
