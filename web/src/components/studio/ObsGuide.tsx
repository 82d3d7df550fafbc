import { useApp } from "../../context";
import { DataTable } from "../DataTable";

/** Output settings that suit the ingest: HLS segments start on keyframes, so a 2 s keyframe interval keeps latency low. */
const presets = [
  { resolution: "1920×1080", fps: "60", bitrate: "6000" },
  { resolution: "1920×1080", fps: "30", bitrate: "4500" },
  { resolution: "1280×720", fps: "60", bitrate: "4500" },
  { resolution: "1280×720", fps: "30", bitrate: "3000" },
];

/** Step by step: OBS Studio pointed at this server's RTMP ingest, with recommended output settings. */
export function ObsGuide({ ingestUrl, onCopy }: { ingestUrl: string | null; onCopy: (text: string) => void }) {
  const { t } = useApp();
  return (
    <section className="panel obs-guide" data-testid="obs-guide">
      <h2>{t("obsTitle")}</h2>
      {ingestUrl ? (
        <>
          <ol className="obs-steps">
            <li>{t("obsStepOpen")}</li>
            <li>{t("obsStepService")}</li>
            <li>
              {t("obsStepServer")}
              <div className="obs-value">
                <code data-testid="obs-server">{ingestUrl}</code>
                <button type="button" className="ghost" data-testid="obs-copy-server" onClick={() => onCopy(ingestUrl)}>
                  {t("copy")}
                </button>
              </div>
            </li>
            <li>{t("obsStepKey")}</li>
            <li>{t("obsStepOutput")}</li>
            <li>{t("obsStepStart")}</li>
          </ol>
          <h3>{t("obsRecommended")}</h3>
          <dl className="obs-settings" data-testid="obs-settings">
            <dt>{t("obsEncoder")}</dt>
            <dd>{t("obsEncoderValue")}</dd>
            <dt>{t("obsRateControl")}</dt>
            <dd>CBR</dd>
            <dt>{t("obsKeyframe")}</dt>
            <dd>{t("obsKeyframeValue")}</dd>
            <dt>{t("obsPreset")}</dt>
            <dd>{t("obsPresetValue")}</dd>
            <dt>{t("obsAudio")}</dt>
            <dd>{t("obsAudioValue")}</dd>
          </dl>
          <DataTable
            className="obs-bitrates"
            scroll
            rows={presets}
            rowKey={(p) => `${p.resolution}-${p.fps}`}
            columns={[
              { header: t("obsResolution"), cell: (p) => p.resolution },
              { header: t("obsFps"), cell: (p) => p.fps },
              { header: t("obsBitrate"), cell: (p) => t("obsKbps", { value: p.bitrate }) },
            ]}
          />
          <p className="muted">{t("obsUpload")}</p>
        </>
      ) : (
        <p className="muted" data-testid="obs-no-rtmp">
          {t("obsNoRtmp")}
        </p>
      )}
    </section>
  );
}
