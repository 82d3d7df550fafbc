import { useState } from "react";
import { request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { CreateIngressMutation, IngressType } from "../../gql/graphql";

const CreateIngressDocument = graphql(`
  mutation CreateIngress($type: IngressType!) {
    createIngress(type: $type) {
      ingressId
      url
      streamKey
      type
    }
  }
`);

type Ingress = CreateIngressMutation["createIngress"];

/**
 * With LiveKit as the provider: makes an RTMP or WHIP ingress for the channel's room (LiveKit
 * gives the address and key) and shows them, the key hidden until revealed, with copy buttons.
 */
export function LiveKitIngress({ onCopy }: { onCopy: (text: string) => void }) {
  const { t, toast } = useApp();
  const [ingress, setIngress] = useState<Ingress | null>(null);
  const [busy, setBusy] = useState(false);
  const [revealed, setRevealed] = useState(false);

  const create = async (type: IngressType) => {
    setBusy(true);
    try {
      const d = await request(CreateIngressDocument, { type });
      setIngress(d.createIngress);
      setRevealed(false);
      toast("success", t("ingressCreated"));
    } catch (e) {
      toast("error", (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" data-testid="livekit-ingress">
      <h2>{t("ingressTitle")}</h2>
      <p className="muted">{t("ingressHint")}</p>
      <div className="row wrap">
        <button type="button" data-testid="create-ingress-rtmp" disabled={busy} onClick={() => create("RTMP")}>
          {t("ingressCreateRtmp")}
        </button>
        <button type="button" className="ghost" data-testid="create-ingress-whip" disabled={busy} onClick={() => create("WHIP")}>
          {t("ingressCreateWhip")}
        </button>
      </div>
      {ingress && (
        <>
          <label>
            {ingress.type === "WHIP" ? t("ingressWhipUrl") : t("ingestUrl")}
            <div className="row wrap">
              <input readOnly value={ingress.url} data-testid="ingress-url" />
              <button type="button" className="ghost" data-testid="copy-ingress-url" onClick={() => onCopy(ingress.url)}>
                {t("copy")}
              </button>
            </div>
          </label>
          {ingress.streamKey && (
            <label>
              {ingress.type === "WHIP" ? t("ingressBearerToken") : t("streamKey")}
              <div className="row wrap">
                <input readOnly type={revealed ? "text" : "password"} value={ingress.streamKey} data-testid="ingress-key" />
                <button type="button" className="ghost" data-testid="reveal-ingress-key" onClick={() => setRevealed(!revealed)}>
                  {revealed ? t("hide") : t("reveal")}
                </button>
                <button type="button" className="ghost" data-testid="copy-ingress-key" onClick={() => onCopy(ingress.streamKey)}>
                  {t("copy")}
                </button>
              </div>
            </label>
          )}
          <p className="muted">{t("ingressKeep")}</p>
        </>
      )}
    </section>
  );
}
