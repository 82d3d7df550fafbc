import { formatMoney } from "../../money";

/** 1 h 05 min, 12 min, 45 s: a broadcast's length in words that read in both languages' digits. */
export function formatLength(seconds: number, lang: string): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const units = lang === "uk" ? { h: "год", m: "хв", s: "с" } : { h: "h", m: "min", s: "s" };
  if (h > 0) return `${h} ${units.h} ${m.toString().padStart(2, "0")} ${units.m}`;
  if (m > 0) return `${m} ${units.m}`;
  return `${total} ${units.s}`;
}

/** A sample interval as words: 60 → "minute" is the common case, else "60 s". */
export function formatInterval(seconds: number, lang: string): string {
  if (seconds === 60) return lang === "uk" ? "хвилину" : "minute";
  return formatLength(seconds, lang);
}

export function formatNumber(value: number, lang: string, digits = 0): string {
  return value.toLocaleString(lang, { maximumFractionDigits: digits });
}

/** Revenue by currency, "—" for none. */
export function formatRevenue(revenue: readonly { amount: number; currency: string }[], lang: string): string {
  return revenue.length === 0 ? "—" : revenue.map((r) => formatMoney(r.amount, r.currency, lang)).join(" + ");
}

export interface CsvSample {
  at: string;
  durationSeconds: number;
  viewers: number;
  averageViewers: number;
  peakViewers: number;
  chatMessages: number;
  chatters: number;
  follows: number;
  newSponsors: number;
  revenue: readonly { amount: number; currency: string }[];
}

/**
 * A broadcast's series as CSV (RFC 4180: comma-separated, CRLF, fields with a comma, quote or line
 * break quoted): one row per sample, times in ISO 8601 UTC, money in minor units per currency.
 */
export function seriesCsv(samples: readonly CsvSample[]): string {
  const currencies = [...new Set(samples.flatMap((s) => s.revenue.map((r) => r.currency)))].sort();
  const header = ["at", "duration_seconds", "viewers", "average_viewers", "peak_viewers", "chat_messages", "chatters", "new_followers", "new_sponsors", ...currencies.map((c) => `revenue_${c}_minor`)];
  const rows = samples.map((s) => [
    s.at,
    s.durationSeconds,
    s.viewers,
    s.averageViewers,
    s.peakViewers,
    s.chatMessages,
    s.chatters,
    s.follows,
    s.newSponsors,
    ...currencies.map((c) => s.revenue.find((r) => r.currency === c)?.amount ?? 0),
  ]);
  const field = (v: string | number) => {
    const text = String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((r) => r.map(field).join(",")).join("\r\n") + "\r\n";
}

/** Hands a text to the browser as a download. */
export function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
