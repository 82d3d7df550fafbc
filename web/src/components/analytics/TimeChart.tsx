import { useEffect, useRef, useState } from "react";
import type uPlot from "uplot";
// Its own few rules (legend, cursor); the script itself is loaded on first use below.
import "uplot/dist/uPlot.min.css";

/** The chart colours, from CSS variables so that both themes (and their contrast) come from the stylesheet. */
export type ChartColor = "accent" | "live" | "follow" | "sponsor" | "chat" | "muted";

export interface ChartSeries {
  label: string;
  /** One value per time; null leaves a gap (a line) or nothing (bars, points). */
  values: (number | null)[];
  kind: "line" | "bars" | "points";
  color: ChartColor;
  /** A second y axis on the right (the admin chart puts viewers beside live channels). */
  rightAxis?: boolean;
  /** Digits shown in the legend. */
  digits?: number;
}

const cssVariable: Record<ChartColor, string> = {
  accent: "--accent",
  live: "--live",
  follow: "--an-follow",
  sponsor: "--an-sponsor",
  chat: "--an-chat",
  muted: "--muted",
};

/**
 * A time chart drawn with uPlot (about 50 kB, canvas, fast with thousands of points), loaded on
 * first use so the app's main bundle does not carry it. Redrawn when the theme changes and
 * resized with its box, so it reads on a phone as on a desktop. Charts with the same `sync` key
 * share the cursor, so one time reads across all of them.
 */
export function TimeChart(props: { times: number[]; series: ChartSeries[]; label: string; lang: string; testId: string; height?: number; sync?: string }) {
  const { times, series, label, lang, testId, height = 220, sync } = props;
  const box = useRef<HTMLDivElement>(null);
  const [theme, setTheme] = useState(() => document.documentElement.dataset.theme);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(document.documentElement.dataset.theme));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    let stopped = false;
    let plot: uPlot | null = null;
    let resize: ResizeObserver | null = null;
    void import("uplot").then(({ default: UPlot }) => {
      const target = box.current;
      if (stopped || !target) return;
      const css = getComputedStyle(document.documentElement);
      const color = (c: ChartColor) => css.getPropertyValue(cssVariable[c]).trim() || "#888";
      const text = css.getPropertyValue("--muted").trim();
      const grid = css.getPropertyValue("--border").trim();
      // Tick labels as fine as the chart's span needs: seconds for a short broadcast, days for an overview.
      const span = times.length > 1 ? times[times.length - 1] - times[0] : 0;
      const time = new Intl.DateTimeFormat(
        lang,
        span > 2 * 86400 ? { month: "short", day: "numeric" } : span < 900 ? { hour: "2-digit", minute: "2-digit", second: "2-digit" } : { hour: "2-digit", minute: "2-digit" },
      );
      const axis = (right: boolean): uPlot.Axis => ({
        stroke: text,
        grid: right ? { show: false } : { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        // 1: the right-hand side; a y axis left without a side would be laid out as a horizontal one.
        side: right ? 1 : 3,
        scale: right ? "right" : "y",
        size: 48,
      });
      const opts: uPlot.Options = {
        width: target.clientWidth || 320,
        height,
        cursor: sync ? { sync: { key: sync } } : {},
        scales: {
          x: { time: true },
          y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
          right: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
        },
        axes: [
          { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, space: 100, values: (_u, splits) => splits.map((s) => time.format(new Date(s * 1000))) },
          axis(false),
          ...(series.some((s) => s.rightAxis) ? [axis(true)] : []),
        ],
        series: [
          { value: (_u, v) => (v == null ? "—" : new Date(v * 1000).toLocaleString(lang)) },
          ...series.map((s): uPlot.Series => {
            const c = color(s.color);
            const value = (_u: uPlot, v: number | null) => (v == null ? "—" : v.toLocaleString(lang, { maximumFractionDigits: s.digits ?? 0 }));
            const scale = s.rightAxis ? "right" : "y";
            if (s.kind === "bars")
              return { label: s.label, scale, stroke: c, fill: c + "99", width: 1, value, points: { show: false }, paths: UPlot.paths.bars!({ size: [0.7, 48], align: 1 }) };
            if (s.kind === "points")
              return { label: s.label, scale, stroke: c, fill: c, value, paths: () => null, points: { show: true, size: 12, width: 2, stroke: c, fill: c } };
            return { label: s.label, scale, stroke: c, fill: c + "22", width: 2, value, points: { show: times.length < 3 } };
          }),
        ],
      };
      // A zero bar is drawn as nothing rather than a hairline.
      const data = [times, ...series.map((s) => (s.kind === "bars" ? s.values.map((v) => (v === 0 ? null : v)) : s.values))];
      plot = new UPlot(opts, data as uPlot.AlignedData, target);
      resize = new ResizeObserver(() => plot?.setSize({ width: target.clientWidth, height }));
      resize.observe(target);
      setReady(true);
    });
    return () => {
      stopped = true;
      resize?.disconnect();
      plot?.destroy();
      setReady(false);
    };
  }, [times, series, label, lang, height, sync, theme]);

  return (
    <figure className="an-chart" data-testid={testId} data-ready={ready ? "true" : "false"}>
      <figcaption>{label}</figcaption>
      <div ref={box} role="img" aria-label={label} />
    </figure>
  );
}
