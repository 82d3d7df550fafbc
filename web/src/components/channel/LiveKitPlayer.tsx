import { useEffect, useRef, useState } from "react";
import { useApp } from "../../context";
import { playLiveKit, type LiveKitState } from "./livekit";

/** After a failure, how long before joining the room again (with a fresh token). */
const RetryMs = 5000;

type State = LiveKitState | "failed";

/**
 * The live player of a channel that streams through LiveKit: joins the channel's room with a
 * viewer token (see livekit.ts) and shows what is happening over the picture until it plays;
 * a failed join or a lost connection is shown and tried again every few seconds.
 */
export function LiveKitPlayer({ channelId }: { channelId: string }) {
  const { t } = useApp();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<State>("connecting");
  const [reason, setReason] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const element = video.current!;
    let stop: (() => void) | null = null;
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const fail = (why: string) => {
      if (cancelled) return;
      stop?.();
      stop = null;
      setReason(why);
      setState("failed");
      retry = setTimeout(() => setAttempt((n) => n + 1), RetryMs);
    };
    playLiveKit(
      channelId,
      element,
      (next) => {
        if (cancelled) return;
        setState(next);
        if (next !== "connecting") setReason(null);
      },
      fail,
    )
      .then((stopper) => {
        if (cancelled) stopper();
        else stop = stopper;
      })
      .catch((e: Error) => {
        console.warn("LiveKit playback failed", e);
        fail(e.message);
      });
    return () => {
      cancelled = true;
      clearTimeout(retry);
      stop?.();
    };
  }, [channelId, attempt]);

  const message: Record<Exclude<State, "playing">, string> = {
    connecting: t("liveKitConnecting"),
    waiting: t("liveKitWaiting"),
    offline: t("liveKitOffline"),
    failed: t("liveKitFailed", { reason: reason ?? "" }),
  };
  return (
    <div className="player-box">
      <video ref={video} className="player" data-testid="player" data-mode="livekit" data-state={state} controls autoPlay muted playsInline />
      {state !== "playing" && (
        <div className={`player-state ${state}`} data-testid="livekit-state" role="status">
          {message[state]}
        </div>
      )}
    </div>
  );
}
