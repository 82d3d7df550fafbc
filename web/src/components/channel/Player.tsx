import Hls, { type HlsConfig, type Level } from "hls.js";
import { useEffect, useRef, useState } from "react";
import { useApp } from "../../context";
import { playWebRtc } from "./webrtc";

/** The viewer's choice, kept per browser: "auto", "webrtc" (low latency) or a rendition name ("source", "480p"…). */
const QualityKey = "wg.quality";
const LowLatency = "webrtc";

/**
 * Tuned for the live edge of 1 s segments: play 1.5 s behind the newest segment, speed up (to
 * 1.25×) when further behind, and jump to the edge past 4 s (a stall, a background tab). With the
 * segment being written and the playlist poll, that is about 3 s behind the encoder.
 */
export const liveConfig: Partial<HlsConfig> = {
  lowLatencyMode: true,
  liveSyncDuration: 1.5,
  liveMaxLatencyDuration: 4,
  maxLiveSyncPlaybackRate: 1.25,
  maxBufferLength: 6,
  backBufferLength: 10,
};

interface Choice {
  index: number;
  name: string;
}

/** A rendition's name is its directory in the master playlist: .../<channel>/<name>/live.m3u8. */
function renditionName(level: Level): string {
  const parts = level.url[0]?.split("/") ?? [];
  return parts.length >= 2 ? parts[parts.length - 2] : `${level.height}p`;
}

/**
 * The live player: HLS through hls.js (natively on Safari) with a menu of Auto, each rendition and
 * "Low latency" (WebRTC through Janus, falling back to HLS when it is refused or fails).
 */
export function Player({ url, channelId }: { url: string; channelId: string }) {
  const { t } = useApp();
  const video = useRef<HTMLVideoElement>(null);
  const player = useRef<Hls | null>(null);
  const [choices, setChoices] = useState<Choice[]>([]);
  const [quality, setQuality] = useState<string>(() => localStorage.getItem(QualityKey) ?? "auto");
  // Set when low latency was asked for but could not be had: HLS plays instead, and says why.
  const [fallback, setFallback] = useState<string | null>(null);
  const lowLatency = quality === LowLatency && fallback === null;

  useEffect(() => {
    if (!lowLatency) return undefined;
    const element = video.current!;
    let stop: (() => void) | null = null;
    let cancelled = false;
    playWebRtc(channelId, element, (reason) => !cancelled && setFallback(reason))
      .then((stopper) => {
        if (cancelled) stopper();
        else stop = stopper;
      })
      .catch((e: Error) => {
        console.warn("low-latency playback failed; playing HLS", e);
        if (!cancelled) setFallback(e.message);
      });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [channelId, lowLatency]);

  useEffect(() => {
    if (lowLatency) return undefined;
    const element = video.current!;
    if (!Hls.isSupported()) {
      element.src = url; // Safari plays HLS natively
      return undefined;
    }
    // The playlist only appears with the first segments, seconds after the channel goes live, and
    // hls.js gives up on a missing playlist after one retry: start again after a pause, for as long
    // as the page shows the stream.
    let hls: Hls | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const start = () => {
      const current = new Hls(liveConfig);
      hls = current;
      player.current = current;
      current.on(Hls.Events.MANIFEST_PARSED, (_event, data) => {
        // hls.js orders levels by bitrate; the menu shows the best first.
        const list = data.levels
          .map((level, index) => ({ index, name: renditionName(level), height: level.height, bitrate: level.bitrate }))
          .sort((x, y) => y.height - x.height || y.bitrate - x.bitrate)
          .map(({ index, name }) => ({ index, name }));
        setChoices(list);
        const wanted = list.find((c) => c.name === localStorage.getItem(QualityKey));
        if (wanted) current.currentLevel = wanted.index;
      });
      current.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
          current.recoverMediaError();
          return;
        }
        current.destroy();
        retry = setTimeout(start, 2000);
      });
      current.loadSource(url);
      current.attachMedia(element);
    };
    start();
    return () => {
      clearTimeout(retry);
      hls?.destroy();
      player.current = null;
    };
  }, [url, lowLatency]);

  const choose = (name: string) => {
    setQuality(name);
    setFallback(null);
    localStorage.setItem(QualityKey, name);
    const hls = player.current;
    if (!hls || name === LowLatency) return;
    // -1 is hls.js's automatic selection; a fixed level switches at the next segment.
    hls.currentLevel = name === "auto" ? -1 : (choices.find((c) => c.name === name)?.index ?? -1);
  };

  const label = (name: string) => (name === "source" ? t("qualitySource") : name);
  const known = isKnown(quality, choices);
  return (
    <div className="player-box">
      <video ref={video} className="player" data-testid="player" data-mode={lowLatency ? "webrtc" : "hls"} controls autoPlay muted playsInline />
      <div className="quality">
        {fallback && (
          <span className="muted" data-testid="low-latency-fallback">
            {t("lowLatencyFallback", { reason: fallback })}
          </span>
        )}
        <label>
          {t("quality")}{" "}
          <select data-testid="quality" value={known ? quality : "auto"} onChange={(e) => choose(e.target.value)}>
            <option value="auto">{t("qualityAuto")}</option>
            <option value={LowLatency}>{t("qualityLowLatency")}</option>
            {choices.map((c) => (
              <option key={c.name} value={c.name}>
                {label(c.name)}
              </option>
            ))}
          </select>
        </label>
      </div>
    </div>
  );
}

function isKnown(quality: string, choices: Choice[]): boolean {
  return quality === "auto" || quality === LowLatency || choices.some((c) => c.name === quality);
}
