import { useEffect } from "react";
import { useApp } from "../context";
import type { ChatPinnedFragment as ChatPin } from "../gql/graphql";

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
