import { useState, type FormEvent } from "react";
import { request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import { formatDuration } from "../videos/duration";

const CreateClipMutation = graphql(`
  mutation CreateClip($c: ID!, $v: ID, $f: Float, $s: Int, $t: String!) {
    createClip(channelId: $c, videoId: $v, fromSeconds: $f, seconds: $s, title: $t) {
      id
      status
      failureReason
    }
  }
`);

/** The lengths offered: the server takes 5–60 s; these are the two a viewer picks between. */
const LENGTHS = [30, 60] as const;

interface Made {
  id: string;
  status: string;
  failureReason?: string | null;
}

/**
 * "Clip" beside a player: a small form (title, 30 or 60 s) that makes a clip of the live stream's
 * last seconds, or, with `videoId`, of the past broadcast from `position` (seconds into it, as the
 * video page counts). The finished clip is offered as a link, so the stream keeps playing.
 */
export function ClipButton({ channelId, videoId, position }: { channelId: string; videoId?: string; position?: number | null }) {
  const { t, me, toast, navigate } = useApp();
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState(0);
  const [title, setTitle] = useState("");
  const [seconds, setSeconds] = useState<number>(LENGTHS[0]);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<Made | null>(null);

  const start = () => {
    if (!me) {
      navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    setFrom(Math.max(0, Math.floor(position ?? 0)));
    setMade(null);
    setOpen(true);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const result = await request(CreateClipMutation, { c: channelId, v: videoId ?? null, f: videoId ? from : null, s: seconds, t: title });
      setMade(result.createClip);
      if (result.createClip.status !== "FAILED") setTitle("");
    } catch (err) {
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="clip-anchor">
      <button type="button" className="ghost" data-testid="clip-button" aria-expanded={open} onClick={() => (open ? setOpen(false) : start())}>
        {me ? `✂ ${t("clip")}` : t("signInToClip")}
      </button>
      {open && (
        <form className="panel clip-form" data-testid="clip-form" onSubmit={(e) => void submit(e)}>
          <label>
            {t("clipTitle")}
            <input
              name="clip-title"
              data-testid="clip-title"
              required
              autoFocus
              maxLength={100}
              value={title}
              placeholder={t("clipTitlePlaceholder")}
              onChange={(e) => setTitle(e.target.value)}
            />
          </label>
          <div className="row-wrap" role="radiogroup" aria-label={t("clipLength")}>
            <span>{t("clipLength")}:</span>
            {LENGTHS.map((s) => (
              <label key={s}>
                <input type="radio" name="clip-length" value={s} data-testid={`clip-length-${s}`} checked={seconds === s} onChange={() => setSeconds(s)} />{" "}
                {t("clipSeconds", { seconds: String(s) })}
              </label>
            ))}
          </div>
          <p className="muted small">
            {videoId
              ? t("clipVideoHint", { seconds: String(seconds), position: formatDuration(from) })
              : t("clipLiveHint", { seconds: String(seconds) })}
          </p>
          {made && made.status === "FAILED" && (
            <p className="error" data-testid="clip-failed">
              {t("clipFailed", { reason: made.failureReason ?? "" })}
            </p>
          )}
          {made && made.status !== "FAILED" && (
            <p className="notice" data-testid="clip-made">
              {made.status === "READY" ? t("clipReady") : t("clipProcessing")}{" "}
              <Link to={`/clips/${made.id}`} testId="clip-open">
                {t("openClip")}
              </Link>
            </p>
          )}
          <div className="row-wrap">
            <button type="submit" data-testid="clip-submit" disabled={busy || title.trim().length === 0}>
              {busy ? t("makingClip") : t("makeClip")}
            </button>
            <button type="button" className="ghost" onClick={() => setOpen(false)}>
              {t("cancel")}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
