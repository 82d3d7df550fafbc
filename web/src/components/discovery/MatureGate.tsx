import { useState, type ReactNode } from "react";
import { useApp } from "../../context";

function storageKey(channelId: string) {
  return `wg-mature-ok:${channelId}`;
}

/**
 * For a channel marked mature: nothing of the stream loads until the viewer confirms. The answer is
 * remembered per channel in this browser (localStorage), so it is asked once, not on every visit.
 */
export function MatureGate({ channelId, name, mature, children }: { channelId: string; name: string; mature: boolean; children: ReactNode }) {
  const { t, navigate } = useApp();
  const [confirmed, setConfirmed] = useState(() => !mature || localStorage.getItem(storageKey(channelId)) === "1");
  if (!mature || confirmed) return <>{children}</>;
  const confirm = () => {
    localStorage.setItem(storageKey(channelId), "1");
    setConfirmed(true);
  };
  return (
    <div className="player mature-gate" data-testid="mature-gate" role="dialog" aria-labelledby="mature-gate-title">
      <div>
        <h2 id="mature-gate-title">{t("matureGateTitle")}</h2>
        <p>{t("matureGateText", { name })}</p>
        <div className="row">
          <button type="button" data-testid="mature-confirm" onClick={confirm}>
            {t("matureGateConfirm")}
          </button>
          <button type="button" className="ghost" data-testid="mature-back" onClick={() => (history.length > 1 ? history.back() : navigate("/"))}>
            {t("matureGateBack")}
          </button>
        </div>
      </div>
    </div>
  );
}
