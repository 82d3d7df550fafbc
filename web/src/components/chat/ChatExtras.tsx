import { useEffect, useRef, useState } from "react";
import { request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { AvailableEmotesQuery, ChatModesFragment as ChatSettings } from "../../gql/graphql";

const EmotesQueryDocument = graphql(`
  query AvailableEmotes($c: ID!) {
    availableEmotes(channelId: $c) {
      name
      code
      imageUrl
      images {
        size
        url
      }
      channelId
      animated
      sponsorOnly
      usable
    }
  }
`);

type Emote = AvailableEmotesQuery["availableEmotes"][number];

/** A channel emote's sizes as srcset (28 px is 1×, 56 px 2×, 112 px 4×); undefined for global emotes (SVG). */
export function emoteSrcSet(images: readonly { size: number; url: string }[] | null | undefined): string | undefined {
  if (!images || images.length === 0) return undefined;
  const base = Math.min(...images.map((i) => i.size));
  return images.map((i) => `${i.url} ${i.size / base}x`).join(", ");
}

/** Common emoji; every one is a single grapheme the server counts as an emoji (emote-only mode allows them). */
export const EMOJI = [
  "😀", "😂", "🤣", "😊", "😍", "😎", "🤔", "😮",
  "😢", "😭", "😡", "🥳", "😴", "🤯", "🙃", "😇",
  "👍", "👎", "👏", "🙌", "🙏", "💪", "👋", "🤝",
  "❤️", "💔", "🔥", "✨", "🎉", "💯", "⭐", "⚡",
  "🎮", "🏆", "🎵", "🍕", "☕", "🚀", "👀", "💀",
];

/** An emoji goes in as it is; an emote's code is kept apart from its neighbours by spaces, or `x:ab:wgHype:` would not parse. */
export interface Insertion {
  text: string;
  spaced: boolean;
}

export function insertAt(value: string, start: number, end: number, what: Insertion): { text: string; caret: number } {
  const before = value.slice(0, start);
  const after = value.slice(end);
  let piece = what.text;
  if (what.spaced) {
    if (before && !/\s$/.test(before)) piece = ` ${piece}`;
    if (!/^\s/.test(after)) piece = `${piece} `;
  }
  return { text: before + piece + after, caret: before.length + piece.length };
}

/**
 * The emote picker of one channel's chat: the global emotes, the channel's own (its sponsor-only ones
 * locked unless you sponsor it) and the sponsor-only emotes of the channels you sponsor. What you may
 * use depends on who you are, so it is asked again when the picker opens.
 */
function fetchEmotes(channelId: string): Promise<Emote[]> {
  return request(EmotesQueryDocument, { c: channelId }).then((d) => d.availableEmotes);
}

/** The emoji and emote buttons beside the chat input, each opening a small grid above it. */
export function ChatPickers({ channelId, onPick }: { channelId: string; onPick: (what: Insertion) => void }) {
  const { t, toast, me } = useApp();
  const [open, setOpen] = useState<"emoji" | "emotes" | null>(null);
  const [emotes, setEmotes] = useState<Emote[] | null>(null);
  const root = useRef<HTMLDivElement>(null);

  // Asked for the channel and viewer at hand, and again each time the picker opens (a sponsorship
  // or a new upload may have changed it); a failure is told when the picker opens.
  const [failure, setFailure] = useState<string | null>(null);
  const opened = open === "emotes";
  useEffect(() => {
    if (emotes && !opened) return;
    let current = true;
    fetchEmotes(channelId)
      .then((list) => {
        if (!current) return;
        setEmotes(list);
        setFailure(null);
      })
      .catch((e: Error) => current && setFailure(e.message));
    return () => {
      current = false;
    };
    // Not on `emotes`: a closing picker keeps what it has, and a fresh list must not ask again.
  }, [channelId, me?.id, opened]);
  useEffect(() => {
    if (open === "emotes" && failure) toast("error", failure);
  }, [open, failure, toast]);

  // Closes on a click elsewhere or Escape.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(null);
    };
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(null);
    document.addEventListener("pointerdown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const toggle = (which: "emoji" | "emotes") => setOpen((o) => (o === which ? null : which));
  return (
    <div className="chat-pickers" ref={root}>
      <button
        type="button"
        className="ghost picker-toggle"
        data-testid="emoji-toggle"
        title={t("emojiPicker")}
        aria-label={t("emojiPicker")}
        aria-expanded={open === "emoji"}
        onClick={() => toggle("emoji")}
      >
        😀
      </button>
      <button
        type="button"
        className="ghost picker-toggle"
        data-testid="emote-toggle"
        title={t("emotePicker")}
        aria-label={t("emotePicker")}
        aria-expanded={open === "emotes"}
        onClick={() => toggle("emotes")}
      >
        {emotes?.[0] ? <img src={emotes[0].imageUrl} alt="" className="emote" /> : "☺"}
      </button>
      {open === "emoji" && (
        <div className="picker" role="dialog" aria-label={t("emojiPicker")} data-testid="emoji-picker">
          {EMOJI.map((e) => (
            <button key={e} type="button" className="ghost" data-testid="emoji-option" title={e} onClick={() => onPick({ text: e, spaced: false })}>
              {e}
            </button>
          ))}
        </div>
      )}
      {open === "emotes" && (
        <div className="picker" role="dialog" aria-label={t("emotePicker")} data-testid="emote-picker">
          {emotes === null ? (
            <span className="muted">{t("loading")}</span>
          ) : (
            emoteGroups(emotes, channelId).map((g) => (
              <div key={g.key} className="picker-group" data-testid={`emote-group-${g.key}`}>
                {g.key !== "global" && <div className="picker-heading">{t(g.key === "channel" ? "emotesOfChannel" : "emotesSponsored")}</div>}
                {g.emotes.map((e) => (
                  <button
                    key={e.name}
                    type="button"
                    className={e.usable ? "ghost" : "ghost locked"}
                    data-testid="emote-option"
                    data-code={e.code}
                    data-usable={e.usable ? "true" : "false"}
                    aria-disabled={!e.usable}
                    title={e.usable ? e.code : `${e.code}: ${t("emoteLocked")}`}
                    onClick={() => (e.usable ? onPick({ text: e.code, spaced: true }) : toast("error", t("emoteLocked")))}
                  >
                    <img src={e.imageUrl} srcSet={emoteSrcSet(e.images)} alt={e.code} className="emote" />
                    {!e.usable && <span className="lock" aria-hidden="true">🔒</span>}
                  </button>
                ))}
              </div>
            ))
          )}
        </div>
      )}
    </div>
  );
}

/** Global emotes, then this channel's, then the sponsor-only emotes of other channels you sponsor. */
function emoteGroups(emotes: Emote[], channelId: string): { key: "global" | "channel" | "sponsored"; emotes: Emote[] }[] {
  const groups = [
    { key: "global" as const, emotes: emotes.filter((e) => !e.channelId) },
    { key: "channel" as const, emotes: emotes.filter((e) => e.channelId === channelId) },
    { key: "sponsored" as const, emotes: emotes.filter((e) => e.channelId && e.channelId !== channelId) },
  ];
  return groups.filter((g) => g.emotes.length > 0);
}

/** What the room's settings restrict, shown above the input (nothing when chat is open to all). */
export function ChatModes({ settings }: { settings: ChatSettings }) {
  const { t } = useApp();
  const modes: { key: string; text: string }[] = [];
  if (!settings.enabled) modes.push({ key: "off", text: t("chatOff") });
  if (settings.slowModeSeconds > 0) modes.push({ key: "slow", text: t("slowMode", { seconds: String(settings.slowModeSeconds) }) });
  if (settings.followersOnly) {
    modes.push({
      key: "followers",
      text: settings.followersOnlyMinutes > 0 ? t("followersOnlyFor", { minutes: String(settings.followersOnlyMinutes) }) : t("followersOnly"),
    });
  }
  if (settings.sponsorsOnly) modes.push({ key: "sponsors", text: t("sponsorsOnly") });
  if (settings.emoteOnly) modes.push({ key: "emotes", text: t("emoteOnly") });
  if (modes.length === 0) return null;
  return (
    <ul className="chat-modes" aria-label={t("chatModes")} data-testid="chat-modes">
      {modes.map((m) => (
        <li key={m.key} className={`chat-mode ${m.key}`} data-testid={`chat-mode-${m.key}`}>
          {m.text}
        </li>
      ))}
    </ul>
  );
}
