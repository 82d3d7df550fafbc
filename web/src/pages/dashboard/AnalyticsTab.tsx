import { useCallback, useEffect, useMemo, useState } from "react";
import { request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import type { AnalyticsOverviewQuery, BroadcastFiguresFragment } from "../../gql/graphql";
import { usePaged } from "../../paging";
import { LoadMoreGrid } from "../../components/LoadMore";
import { BroadcastAnalytics } from "./BroadcastAnalytics";
import { formatLength, formatNumber, formatRevenue } from "../../components/analytics/figures";
import { Figure } from "../../components/analytics/Figure";
import { TimeChart } from "../../components/analytics/TimeChart";
import "../../components/analytics/analytics.css";

graphql(`
  fragment BroadcastFigures on BroadcastSummary {
    streamId
    title
    category
    startedAt
    endedAt
    live
    final
    durationSeconds
    sampledSeconds
    samples
    peakViewers
    averageViewers
    minutesWatched
    chatMessages
    chatters
    follows
    newSponsors
    revenue {
      amount
      currency
    }
  }
`);

const AnalyticsBroadcastsQuery = graphql(`
  query AnalyticsBroadcasts($c: ID!, $after: String) {
    channelBroadcasts(channelId: $c, first: 12, after: $after) {
      edges {
        node {
          ...BroadcastFigures
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const AnalyticsOverviewDocument = graphql(`
  query AnalyticsOverview($c: ID!, $days: Int!, $tz: String!) {
    channelAnalytics(channelId: $c, days: $days, timeZone: $tz) {
      from
      to
      totals {
        broadcasts
        hoursStreamed
        minutesWatched
        averageViewers
        peakViewers
        chatMessages
        follows
        newSponsors
        revenue {
          amount
          currency
        }
      }
      days {
        date
        totals {
          broadcasts
          hoursStreamed
          minutesWatched
        }
      }
    }
  }
`);

/** The browser's time zone, which the per-day overview is cut by. */
function timeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/**
 * /dashboard/analytics: the last 30 or 90 days and the latest broadcasts as cards;
 * /dashboard/analytics/<stream id>: one broadcast's figures and charts.
 */
export function AnalyticsTab({ channelId }: { channelId: string }) {
  const streamId = location.pathname.match(/^\/dashboard\/analytics\/([0-9a-fA-F-]{36})\/?$/)?.[1];
  if (streamId) return <BroadcastAnalytics key={streamId} streamId={streamId} />;
  return (
    <>
      <Overview channelId={channelId} />
      <LatestBroadcasts channelId={channelId} />
    </>
  );
}

function Overview({ channelId }: { channelId: string }) {
  const { t, lang, toast } = useApp();
  const [days, setDays] = useState<30 | 90>(30);
  const [data, setData] = useState<AnalyticsOverviewQuery["channelAnalytics"] | null>(null);

  useEffect(() => {
    let stopped = false;
    request(AnalyticsOverviewDocument, { c: channelId, days, tz: timeZone() })
      .then((d) => !stopped && setData(d.channelAnalytics))
      .catch((e: Error) => !stopped && toast("error", e.message));
    return () => {
      stopped = true;
    };
  }, [channelId, days, toast]);

  const chart = useMemo(() => {
    if (!data) return null;
    return {
      times: data.days.map((d) => new Date(`${d.date}T00:00:00`).getTime() / 1000),
      series: [{ label: t("anHoursWatched"), kind: "bars" as const, color: "accent" as const, digits: 1, values: data.days.map((d) => d.totals.minutesWatched / 60) }],
    };
  }, [data, t]);

  const date = (iso: string) => new Date(iso).toLocaleDateString(lang);
  return (
    <section className="panel" data-testid="an-overview">
      <div className="an-head">
        <h2>{t("anOverview")}</h2>
        <span className="an-toggle" role="group" aria-label={t("anOverview")}>
          {([30, 90] as const).map((d) => (
            <button key={d} type="button" aria-pressed={days === d} data-testid={`an-days-${d}`} onClick={() => setDays(d)}>
              {t(d === 30 ? "anDays30" : "anDays90")}
            </button>
          ))}
        </span>
        {data && <span className="muted">{t("anOverviewRange", { from: date(data.from), to: date(data.to) })}</span>}
      </div>
      {!data ? (
        <p className="muted">{t("loading")}</p>
      ) : (
        <>
          <dl className="an-figures" data-testid="an-overview-figures" data-days={String(data.days.length)}>
            <Figure label={t("anBroadcasts")} value={formatNumber(data.totals.broadcasts, lang)} testId="an-total-broadcasts" />
            <Figure label={t("anTimeLive")} value={formatLength(data.totals.hoursStreamed * 3600, lang)} />
            <Figure label={t("anWatchTime")} value={formatLength(data.totals.minutesWatched * 60, lang)} />
            <Figure label={t("anAverageViewers")} value={formatNumber(data.totals.averageViewers, lang, 1)} />
            <Figure label={t("anPeakViewers")} value={formatNumber(data.totals.peakViewers, lang)} />
            <Figure label={t("anChatMessages")} value={formatNumber(data.totals.chatMessages, lang)} testId="an-total-chat" />
            <Figure label={t("anFollows")} value={formatNumber(data.totals.follows, lang)} testId="an-total-follows" />
            <Figure label={t("anSponsors")} value={formatNumber(data.totals.newSponsors, lang)} />
            <Figure label={t("anRevenue")} value={formatRevenue(data.totals.revenue, lang)} />
          </dl>
          {chart && <TimeChart times={chart.times} series={chart.series} label={t("anPerDay")} lang={lang} testId="an-chart-days" height={180} />}
        </>
      )}
    </section>
  );
}

function LatestBroadcasts({ channelId }: { channelId: string }) {
  const { t, toast } = useApp();
  const fetchPage = useCallback(async (after: string | null) => (await request(AnalyticsBroadcastsQuery, { c: channelId, after })).channelBroadcasts, [channelId]);
  const onError = useCallback((e: Error) => toast("error", e.message), [toast]);
  const broadcasts = usePaged<BroadcastFiguresFragment>(fetchPage, onError);
  return (
    <section className="panel" data-testid="an-broadcasts">
      <h2>{t("anLatest")}</h2>
      <LoadMoreGrid
        paged={broadcasts}
        pending={<p className="muted">{t("loading")}</p>}
        empty={<p className="muted">{t("anNoBroadcasts")}</p>}
        itemKey={(b) => b.streamId}
        card={(b) => <BroadcastCard broadcast={b} />}
      />
    </section>
  );
}

function BroadcastCard({ broadcast: b }: { broadcast: BroadcastFiguresFragment }) {
  const { t, lang } = useApp();
  return (
    <Link to={`/dashboard/analytics/${b.streamId}`} className="card an-card" testId="an-card">
      <h3 title={b.title}>
        {b.title}
        {b.live && <span className="badge-live">{t("live")}</span>}
      </h3>
      <small className="muted">
        {new Date(b.startedAt).toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" })} · {formatLength(b.durationSeconds, lang)}
      </small>
      <dl>
        <div>
          <dt>{t("anAverageViewers")}</dt>
          <dd>{formatNumber(b.averageViewers, lang, 1)}</dd>
        </div>
        <div>
          <dt>{t("anPeakViewers")}</dt>
          <dd>{formatNumber(b.peakViewers, lang)}</dd>
        </div>
        <div>
          <dt>{t("anWatchTime")}</dt>
          <dd>{formatLength(b.minutesWatched * 60, lang)}</dd>
        </div>
        <div>
          <dt>{t("anChatMessages")}</dt>
          <dd data-testid="an-card-chat">{formatNumber(b.chatMessages, lang)}</dd>
        </div>
        <div>
          <dt>{t("anFollows")}</dt>
          <dd data-testid="an-card-follows">{formatNumber(b.follows, lang)}</dd>
        </div>
        <div>
          <dt>{t("anRevenue")}</dt>
          <dd>{formatRevenue(b.revenue, lang)}</dd>
        </div>
      </dl>
    </Link>
  );
}
