import * as account from "./account";
import * as core from "./core";
import * as studio from "./studio";
import * as settings from "./settings";
import * as discover from "./discover";
import * as videos from "./videos";
import * as safety from "./safety";
import * as automod from "./automod";
import * as blocks from "./blocks";
import * as admin from "./admin";
import * as community from "./community";
import * as clips from "./clips";
import * as analytics from "./analytics";

export type Lang = "en" | "uk";

// Each feature keeps its words in its own file (en, and uk typed against en so none is missing);
// they are merged here.
const en = { ...core.en, ...account.en, ...studio.en, ...settings.en, ...discover.en, ...videos.en, ...safety.en, ...automod.en, ...blocks.en, ...admin.en, ...community.en, ...clips.en, ...analytics.en };
export type Key = keyof typeof en;
const uk: Record<Key, string> = { ...core.uk, ...account.uk, ...studio.uk, ...settings.uk, ...discover.uk, ...videos.uk, ...safety.uk, ...automod.uk, ...blocks.uk, ...admin.uk, ...community.uk, ...clips.uk, ...analytics.uk };

export const dictionaries: Record<Lang, Record<Key, string>> = { en, uk };

export function initialLang(): Lang {
  const stored = localStorage.getItem("wg-lang");
  if (stored === "en" || stored === "uk") return stored;
  return navigator.language.toLowerCase().startsWith("uk") ? "uk" : "en";
}

export function format(text: string, values?: Record<string, string>): string {
  return values ? text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "") : text;
}
