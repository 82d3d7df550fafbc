import { useEffect, useState } from "react";
import { request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { StudioLiveOutputQuery } from "../../gql/graphql";

type Live = StudioLiveOutputQuery["streamSettings"]["liveStream"];

const StudioLiveOutputQueryDocument = graphql(`
  query StudioLiveOutput {
    streamSettings {
      liveStream {
        id
        transcode {
          renditions
          fellBack
          reason
        }
      }
    }
  }
`);

/** How often the panel asks again: the worker reports a fallback within seconds of deciding it. */
const RefreshMs = 5000;

/** The renditions viewers can choose right now, and a warning when the quality ladder fell back to the source. */
export function LiveOutput({ onLive }: { onLive?: (live: boolean) => void }) {
  const { t } = useApp();
  const [live, setLive] = useState<Live | undefined>(undefined);
  useEffect(() => {
    if (live !== undefined) onLive?.(!!live);
  }, [live, onLive]);

  useEffect(() => {
    let stopped = false;
    const load = () =>
      request(StudioLiveOutputQueryDocument)
        .then((d) => !stopped && setLive(d.streamSettings.liveStream))
        .catch(() => undefined); // the next refresh tries again
    load();
    const timer = setInterval(load, RefreshMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  if (live === undefined) return null;
  const transcode = live?.transcode;
  return (
    <section className="panel" data-testid="live-output">
      <h3>{t("liveOutput")}</h3>
      {!live && <p className="muted">{t("liveOutputOffline")}</p>}
      {live && !transcode && <p className="muted">{t("liveOutputStarting")}</p>}
      {transcode && (
        <p data-testid="renditions">
          {t("liveOutputRenditions", { list: transcode.renditions.map((r) => (r === "source" ? t("qualitySource") : r)).join(", ") })}
        </p>
      )}
      {transcode?.fellBack && (
        <p className="warning" data-testid="ladder-fell-back">
          {t("liveOutputFellBack", { reason: transcode.reason ?? "" })}
        </p>
      )}
    </section>
  );
}
