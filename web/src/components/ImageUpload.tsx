import { useEffect, useState } from "react";
import { useApp } from "../context";

export type ImageKind = "avatar" | "banner";

interface UploadAnswer {
  urls?: Record<string, string>;
  code?: string;
  message?: string;
}

/** The biggest variant the server made: avatars come as 300×300 and 70×70, banners as one 1200×480. */
function mainUrl(urls: Record<string, string>): string | null {
  const entries = Object.entries(urls);
  const large = entries.find(([variant]) => !/small|70/i.test(variant)) ?? entries[0];
  return large ? large[1] : null;
}

/**
 * Chooses an image, previews it locally (an object URL: nothing is sent yet), then uploads it as
 * FormData to POST /media/{kind}; the server decodes, checks and re-encodes it to WebP, and its
 * refusal (too large, not an image) is shown as it says it.
 */
export function ImageUpload({ kind, current, fallback, onChange }: { kind: ImageKind; current: string | null; fallback: string; onChange: (url: string | null) => void }) {
  const { t, toast } = useApp();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [inputKey, setInputKey] = useState(0);

  // The preview is an object URL for the chosen file; release it when the choice changes.
  useEffect(() => {
    if (!file) {
      setPreview(null);
      return undefined;
    }
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const clearChoice = () => {
    setFile(null);
    setInputKey((k) => k + 1);
  };

  const fail = (message: string) => {
    setError(message);
    toast("error", message);
  };

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.append("file", file);
      let response: Response;
      try {
        response = await fetch(`/media/${kind}`, { method: "POST", body: form, credentials: "same-origin" });
      } catch {
        fail(t("uploadFailed"));
        return;
      }
      const body = (await response.json().catch(() => ({}))) as UploadAnswer;
      if (!response.ok || !body.urls) {
        fail(body.message ?? `HTTP ${response.status}`);
        return;
      }
      onChange(mainUrl(body.urls));
      clearChoice();
      toast("success", t(kind === "avatar" ? "avatarSaved" : "bannerSaved"));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(`/media/${kind}`, { method: "DELETE", credentials: "same-origin" });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as UploadAnswer;
        fail(body.message ?? `HTTP ${response.status}`);
        return;
      }
      onChange(null);
      toast("success", t(kind === "avatar" ? "avatarRemoved" : "bannerRemoved"));
    } catch {
      fail(t("uploadFailed"));
    } finally {
      setBusy(false);
    }
  };

  const shown = preview ?? current;
  const imageClass = kind === "avatar" ? "avatar big" : "banner-preview";
  return (
    <div className={`image-edit image-edit-${kind}`} data-testid={`${kind}-edit`}>
      <div className="image-edit-view">
        {shown ? (
          <img className={imageClass} src={shown} alt="" data-testid={`${kind}-preview`} />
        ) : kind === "avatar" ? (
          <span className="avatar big placeholder">{fallback}</span>
        ) : (
          <div className="banner-preview empty">{t("noBanner")}</div>
        )}
        {preview && (
          <span className="preview-note" data-testid={`${kind}-pending`}>
            {t("previewNotUploaded")}
          </span>
        )}
      </div>
      <div className="image-edit-actions">
        <input
          key={inputKey}
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          aria-label={t(kind === "avatar" ? "chooseAvatar" : "chooseBanner")}
          data-testid={`${kind}-file`}
          onChange={(e) => {
            setError(null);
            setFile(e.target.files?.[0] ?? null);
          }}
        />
        <div className="row-wrap">
          <button type="button" data-testid={`${kind}-upload`} disabled={!file || busy} onClick={() => void upload()}>
            {busy && file ? t("uploading") : t("upload")}
          </button>
          {file && (
            <button type="button" className="ghost" disabled={busy} onClick={clearChoice}>
              {t("cancel")}
            </button>
          )}
          {!file && current && (
            <button type="button" className="danger" data-testid={`${kind}-remove`} disabled={busy} onClick={() => void remove()}>
              {t("remove")}
            </button>
          )}
        </div>
        <span className="muted small">{t(kind === "avatar" ? "avatarHint" : "bannerHint")}</span>
        {error && (
          <p className="error" role="alert" data-testid={`${kind}-error`}>
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
