import Hls, { type HlsConfig, type Level } from "hls.js";
import { useEffect, useRef, useState } from "react";
import { useApp } from "../../context";

/** The viewer's choice of rendition, kept per browser: "auto" or a rendition name ("source", "480p"…). */
const QualityKey = "wg.quality";

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

/** HLS through hls.js (natively on Safari), with a quality menu: Auto plus each rendition. */
export function Player({ url }: { url: string }) {
  const { t } = useApp();
  const video = useRef<HTMLVideoElement>(null);
  const player = useRef<Hls | null>(null);
  const [choices, setChoices] = useState<Choice[]>([]);
  const [quality, setQuality] = useState<string>(() => localStorage.getItem(QualityKey) ?? "auto");

  useEffect(() => {
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
        const saved = localStorage.getItem(QualityKey);
        const wanted = list.find((c) => c.name === saved);
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
  }, [url]);

  const choose = (name: string) => {
    setQuality(name);
    localStorage.setItem(QualityKey, name);
    const hls = player.current;
    if (!hls) return;
    // -1 is hls.js's automatic selection; a fixed level switches at the next segment.
    hls.currentLevel = name === "auto" ? -1 : (choices.find((c) => c.name === name)?.index ?? -1);
  };

  const label = (name: string) => (name === "source" ? t("qualitySource") : name);
  return (
    <div className="player-box">
      <video ref={video} className="player" data-testid="player" controls autoPlay muted playsInline />
      {choices.length > 1 && (
        <label className="quality">
          {t("quality")}
          <select data-testid="quality" value={choices.some((c) => c.name === quality) ? quality : "auto"} onChange={(e) => choose(e.target.value)}>
            <option value="auto">{t("qualityAuto")}</option>
            {choices.map((c) => (
              <option key={c.name} value={c.name}>
                {label(c.name)}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
