import { useEffect } from "react";
import { useApp } from "../../context";
import type { ChatPinnedFragment as ChatPin } from "../../gql/graphql";

/** The message a moderator pinned, above the chat until its time runs out (then it goes by itself). */
export function PinnedMessage({ pin, canUnpin, onUnpin, onExpired }: { pin: ChatPin; canUnpin: boolean; onUnpin: () => void; onExpired: () => void }) {
  const { t, lang } = useApp();
  useEffect(() => {
    const left = new Date(pin.until).getTime() - Date.now();
    // setTimeout takes at most 2^31-1 ms; pins last 12 h at most, well within that.
    const timer = setTimeout(onExpired, Math.max(0, left));
    return () => clearTimeout(timer);
  }, [pin.until, onExpired]);
  return (
    <div className="chat-pinned" data-testid="chat-pinned" role="note">
      <span aria-hidden="true">📌</span>
      <div>
        <strong>{pin.message.username}</strong>: {pin.message.text}
        <div className="muted">{t("pinnedUntil", { time: new Date(pin.until).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" }) })}</div>
      </div>
      {canUnpin && (
        <button type="button" className="ghost" data-testid="unpin" onClick={onUnpin}>
          {t("unpin")}
        </button>
      )}
    </div>
  );
}

/** "X is raiding with N viewers": above the chat for a minute after a raid arrives. */
export function RaidBanner({ raid, onDone }: { raid: { fromDisplayName: string; viewers: number }; onDone: () => void }) {
  const { t } = useApp();
  useEffect(() => {
    const timer = setTimeout(onDone, 60_000);
    return () => clearTimeout(timer);
  }, [raid, onDone]);
  return (
    <div className="chat-pinned chat-raid" data-testid="chat-raid" role="status">
      <span aria-hidden="true">🚀</span>
      <div>{t("raidingWith", { name: raid.fromDisplayName, count: String(raid.viewers) })}</div>
    </div>
  );
}
