import { useEffect, useRef, useState } from "react";
import { request } from "../api";
import { Link, useApp } from "../context";
import { graphql } from "../gql";
import type { ClipPageQuery } from "../gql/graphql";
import { formatDuration } from "../components/videos/duration";
import { deleteAndLeave } from "../components/videos/deleteAndLeave";

const ClipQuery = graphql(`
  query ClipPage($id: ID!) {
    clip(id: $id) {
      id
      channelId
      title
      status
      failureReason
      durationSeconds
      offsetSeconds
      videoUrl
      thumbnailUrl
      viewCount
      createdAt
      viewerCanDelete
      video {
        id
      }
      channel {
        username
        displayName
        avatarUrl
      }
      creator {
        username
        displayName
      }
    }
  }
`);

const DeleteClipMutation = graphql(`
  mutation DeleteClip($id: ID!) {
    deleteClip(id: $id)
  }
`);

const ViewClipMutation = graphql(`
  mutation ViewClip($id: ID!) {
    viewClip(id: $id)
  }
`);

type Clip = NonNullable<ClipPageQuery["clip"]>;

/** How often the page asks again while the clip is still being cut. */
const POLL_MS = 1000;

/** `/clips/{id}`: the clip's MP4 in the browser's own player, with its channel, creator and (for those allowed) delete. */
export function ClipPage({ id }: { id: string }) {
  const { t, lang, toast, navigate } = useApp();
  const [clip, setClip] = useState<Clip | null | undefined>(undefined);
  const counted = useRef(false);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      request(ClipQuery, { id })
        .then((data) => {
          if (cancelled) return;
          setClip(data.clip ?? null);
          if (data.clip?.status === "PROCESSING") timer = setTimeout(load, POLL_MS);
        })
        .catch((e: Error) => {
          if (cancelled) return;
          setClip(null);
          toast("error", e.message);
        });
    void load();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [id, toast]);

  if (clip === undefined) return <p className="muted">{t("loading")}</p>;
  if (clip === null) return <p data-testid="clip-missing">{t("clipNotFound")}</p>;

  const remove = () =>
    deleteAndLeave({ t, toast, navigate }, { confirm: "deleteClipConfirm", done: "clipDeleted" }, clip.channel, () =>
      request(DeleteClipMutation, { id: clip.id }),
    );

  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      toast("success", t("clipLinkCopied"));
    } catch (e) {
      toast("error", (e as Error).message);
    }
  };

  // One view per page visit, when playback really starts (the server counts each viewer once).
  const onPlaying = () => {
    if (counted.current) return;
    counted.current = true;
    request(ViewClipMutation, { id: clip.id }).catch(() => undefined);
  };

  return (
    <div className="clip-page" data-testid="clip-page">
      {clip.status === "READY" && clip.videoUrl ? (
        <video
          className="player"
          data-testid="clip-player"
          src={clip.videoUrl}
          poster={clip.thumbnailUrl ?? undefined}
          controls
          playsInline
          preload="metadata"
          onPlaying={onPlaying}
        />
      ) : (
        <div className="player offline" data-testid={clip.status === "FAILED" ? "clip-failed" : "clip-processing"}>
          {clip.status === "FAILED" ? t("clipFailed", { reason: clip.failureReason ?? "" }) : t("clipProcessing")}
        </div>
      )}
      <div className="channel-head">
        {clip.channel?.avatarUrl ? <img className="avatar big" src={clip.channel.avatarUrl} alt="" /> : null}
        <div>
          <h1 data-testid="clip-title">{clip.title}</h1>
          {clip.channel && (
            <Link to={`/${clip.channel.username}`} testId="clip-channel">
              {t("clipOf", { channel: clip.channel.displayName })}
            </Link>
          )}
          <div className="muted">
            {[
              formatDuration(clip.durationSeconds),
              clip.creator ? t("clippedBy", { name: clip.creator.displayName }) : null,
              new Date(clip.createdAt).toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" }),
              (clip.viewCount === 1 ? t("clipOneView") : t("clipViews", { count: String(clip.viewCount) })),
            ]
              .filter(Boolean)
              .join(" · ")}
          </div>
          {clip.video && (
            <Link to={`/videos/${clip.video.id}`} testId="clip-video">
              {t("clipFromVideo")}
            </Link>
          )}
        </div>
        <div className="spacer" />
        <button type="button" className="ghost" onClick={() => void copyLink()}>
          {t("copyClipLink")}
        </button>
        {clip.viewerCanDelete && (
          <button type="button" className="danger" data-testid="delete-clip" onClick={() => void remove()}>
            {t("deleteClip")}
          </button>
        )}
      </div>
    </div>
  );
}
