import { useCallback, useEffect, useState, type FormEvent } from "react";
import { GqlError, request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { StudioEmotesQuery } from "../../gql/graphql";
import type { Key } from "../../i18n";
import { emoteSrcSet } from "../../components/chat/ChatExtras";

type Emote = StudioEmotesQuery["channelEmotes"][number];

const StudioEmotesQueryDocument = graphql(`
  query StudioEmotes($c: ID!) {
    me {
      username
    }
    channelEmotes(channelId: $c) {
      id
      name
      code
      suffix
      animated
      sponsorOnly
      imageUrl
      images {
        size
        url
      }
    }
    emoteLimits {
      maxEmotes
      maxAnimated
      maxUploadBytes
      maxFrames
      maxDurationSeconds
      minSide
      prefixMinLength
      prefixMaxLength
    }
  }
`);

const StudioEmotePrefixQuery = graphql(`
  query StudioEmotePrefix($u: String!) {
    channel(username: $u) {
      emotePrefix
    }
  }
`);

const StudioSetEmotePrefixMutation = graphql(`
  mutation StudioSetEmotePrefix($c: ID!, $p: String!) {
    setEmotePrefix(channelId: $c, prefix: $p)
  }
`);

const StudioRenameEmoteMutation = graphql(`
  mutation StudioRenameEmote($c: ID!, $e: ID!, $n: String!) {
    renameEmote(channelId: $c, emoteId: $e, name: $n) {
      id
    }
  }
`);

const StudioEmoteSponsorOnlyMutation = graphql(`
  mutation StudioEmoteSponsorOnly($c: ID!, $e: ID!, $s: Boolean!) {
    setEmoteSponsorOnly(channelId: $c, emoteId: $e, sponsorOnly: $s) {
      id
    }
  }
`);

const StudioDeleteEmoteMutation = graphql(`
  mutation StudioDeleteEmote($c: ID!, $e: ID!) {
    deleteEmote(channelId: $c, emoteId: $e)
  }
`);

/** Refusals read by their stable code (GraphQL extensions.code, or the upload's JSON code); the server's words follow. */
const codeLeads: Partial<Record<string, Key>> = {
  UNAUTHENTICATED: "emoteErrorSignIn",
  FORBIDDEN: "emoteErrorForbidden",
  NOT_FOUND: "emoteErrorNotFound",
  RATE_LIMITED: "emoteErrorRateLimited",
  BUSY: "emoteErrorBusy",
};

/** POST /media/emote answers JSON {code, message, field} when it refuses. */
interface UploadRefusal {
  code?: string;
  message?: string;
  field?: string;
}

/** The broadcaster's emotes: prefix, uploads (name, sponsor-only), the list with rename, sponsor-only switch and delete, and the limits. */
export function EmotesTab({ channelId }: { channelId: string }) {
  const { t, toast } = useApp();
  const [data, setData] = useState<StudioEmotesQuery | null>(null);
  const [prefix, setPrefix] = useState<string | null>(null);
  const [prefixInput, setPrefixInput] = useState("");
  const [name, setName] = useState("");
  const [sponsorOnly, setSponsorOnly] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string; text: string } | null>(null);

  const load = useCallback(async () => {
    try {
      const d = await request(StudioEmotesQueryDocument, { c: channelId });
      setData(d);
      const username = d.me?.username;
      if (username) {
        const p = (await request(StudioEmotePrefixQuery, { u: username })).channel?.emotePrefix ?? null;
        setPrefix(p);
        setPrefixInput((old) => old || p || "");
      }
    } catch (e) {
      toast("error", (e as Error).message);
    }
  }, [channelId, toast]);

  useEffect(() => {
    void load();
  }, [load]);

  const explain = useCallback(
    (code: string | undefined, message: string | undefined, field?: string) => {
      const lead = code ? codeLeads[code] : undefined;
      const text = [lead ? t(lead) : null, message].filter(Boolean).join(" ");
      setError({ field, text: text || t("emoteErrorUnknown") });
      toast("error", text || t("emoteErrorUnknown"));
    },
    [t, toast],
  );

  const act = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      toast("success", done);
      await load();
    } catch (e) {
      if (e instanceof GqlError) explain(e.code, e.message, e.field);
      else explain(undefined, (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const savePrefix = (e: FormEvent) => {
    e.preventDefault();
    void act(() => request(StudioSetEmotePrefixMutation, { c: channelId, p: prefixInput.trim() }), t("emotePrefixSaved"));
  };

  const upload = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.append("file", file);
      form.append("name", name.trim());
      form.append("sponsorOnly", sponsorOnly ? "true" : "false");
      const response = await fetch("/media/emote", { method: "POST", body: form, credentials: "same-origin" });
      const body = (await response.json().catch(() => ({}))) as UploadRefusal & { emote?: { code: string } };
      if (!response.ok || !body.emote) {
        explain(body.code ?? (response.status === 413 ? "BAD_USER_INPUT" : undefined), body.message ?? `HTTP ${response.status}`, body.field);
        return;
      }
      toast("success", t("emoteUploaded", { code: body.emote.code }));
      setName("");
      setSponsorOnly(false);
      setFile(null);
      setFileKey((k) => k + 1);
      await load();
    } catch (e) {
      explain(undefined, (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!data) return <p className="muted">{t("loading")}</p>;
  const limits = data.emoteLimits;
  const emotes = data.channelEmotes;
  const animated = emotes.filter((e) => e.animated).length;
  const fieldError = (field: string) =>
    error?.field === field ? (
      <p className="error" role="alert" data-testid={`emote-error-${field}`}>
        {error.text}
      </p>
    ) : null;
  return (
    <>
      <section className="panel" data-testid="emote-prefix">
        <h2>{t("emotePrefixTitle")}</h2>
        <p className="muted">{t("emotePrefixHint", { min: String(limits.prefixMinLength), max: String(limits.prefixMaxLength) })}</p>
        <form className="row wrap" onSubmit={savePrefix}>
          <input
            data-testid="emote-prefix-input"
            aria-label={t("emotePrefixTitle")}
            autoComplete="off"
            maxLength={limits.prefixMaxLength}
            value={prefixInput}
            onChange={(e) => setPrefixInput(e.target.value.toLowerCase())}
          />
          <button type="submit" data-testid="emote-prefix-save" disabled={busy || !prefixInput.trim() || prefixInput.trim() === prefix}>
            {t("save")}
          </button>
        </form>
        {fieldError("prefix")}
        <p className="muted" data-testid="emote-prefix-current">
          {prefix ? t("emotePrefixCurrent", { prefix }) : t("emotePrefixNone")}
        </p>
      </section>
      <section className="panel" data-testid="emote-upload">
        <h2>{t("emoteUploadTitle")}</h2>
        <p className="muted" data-testid="emote-limits">
          {t("emoteLimits", {
            count: String(emotes.length),
            max: String(limits.maxEmotes),
            animated: String(animated),
            maxAnimated: String(limits.maxAnimated),
            kib: String(Math.floor(limits.maxUploadBytes / 1024)),
            side: String(limits.minSide),
            frames: String(limits.maxFrames),
            seconds: String(limits.maxDurationSeconds),
          })}
        </p>
        <form className="stack" onSubmit={upload}>
          <label>
            {t("emoteFile")}
            <input
              key={fileKey}
              type="file"
              accept="image/png,image/gif,image/webp"
              data-testid="emote-file"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </label>
          {fieldError("file")}
          <label>
            {t("emoteName")}
            <span className="row">
              <code>{prefix ?? "…"}</code>
              <input
                data-testid="emote-name"
                autoComplete="off"
                placeholder="Hype"
                maxLength={20}
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            </span>
          </label>
          {fieldError("name")}
          <label className="row">
            <input type="checkbox" data-testid="emote-sponsor-only" checked={sponsorOnly} onChange={(e) => setSponsorOnly(e.target.checked)} />
            {t("emoteSponsorOnly")}
          </label>
          <p className="muted">{t("emoteSponsorOnlyHint")}</p>
          <button type="submit" data-testid="emote-upload-submit" disabled={busy || !file || !name.trim()}>
            {t("emoteUpload")}
          </button>
        </form>
        {error && !["prefix", "file", "name"].includes(error.field ?? "") && (
          <p className="error" role="alert" data-testid="emote-error">
            {error.text}
          </p>
        )}
      </section>
      <section className="panel" data-testid="emote-list">
        <h2>{t("emoteListTitle")}</h2>
        {emotes.length === 0 ? (
          <p className="muted" data-testid="no-emotes">
            {t("noEmotes")}
          </p>
        ) : (
          <ul className="studio-list">
            {emotes.map((e) => (
              <EmoteRow key={e.id} emote={e} busy={busy} channelId={channelId} act={act} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function EmoteRow(props: { emote: Emote; busy: boolean; channelId: string; act: (action: () => Promise<unknown>, done: string) => Promise<void> }) {
  const { emote: e, busy, channelId, act } = props;
  const { t } = useApp();
  const [suffix, setSuffix] = useState(e.suffix);
  return (
    <li data-testid="emote-row" data-code={e.code}>
      <img src={e.imageUrl} srcSet={emoteSrcSet(e.images)} alt={e.code} width={56} height={56} className="emote-large" />
      <span>
        <code data-testid="emote-code">{e.code}</code>
        {e.animated && <small className="muted"> · {t("emoteAnimated")}</small>}
        {e.sponsorOnly && <small className="muted"> · {t("emoteSponsorOnlyBadge")}</small>}
        <br />
        <span className="row wrap">
          <input data-testid="emote-rename-input" aria-label={t("emoteName")} maxLength={20} value={suffix} onChange={(x) => setSuffix(x.target.value)} />
          <button
            type="button"
            data-testid="emote-rename"
            disabled={busy || !suffix.trim() || suffix.trim() === e.suffix}
            onClick={() => void act(() => request(StudioRenameEmoteMutation, { c: channelId, e: e.id, n: suffix.trim() }), t("emoteRenamed"))}
          >
            {t("emoteRename")}
          </button>
          <label className="row">
            <input
              type="checkbox"
              data-testid="emote-toggle-sponsor-only"
              checked={e.sponsorOnly}
              disabled={busy}
              onChange={(x) => void act(() => request(StudioEmoteSponsorOnlyMutation, { c: channelId, e: e.id, s: x.target.checked }), t("emoteSaved"))}
            />
            {t("emoteSponsorOnly")}
          </label>
        </span>
      </span>
      <span className="spacer" />
      <button
        type="button"
        className="danger"
        data-testid="emote-delete"
        disabled={busy}
        onClick={() => {
          if (window.confirm(t("emoteDeleteConfirm", { code: e.code }))) void act(() => request(StudioDeleteEmoteMutation, { c: channelId, e: e.id }), t("emoteDeleted"));
        }}
      >
        {t("remove")}
      </button>
    </li>
  );
}
