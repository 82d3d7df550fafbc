import Hls from "hls.js";
import { useEffect, useRef, useState } from "react";
import { request } from "../api";
import { Link, useApp } from "../context";
import { graphql } from "../gql";
import type { VideoPageQuery } from "../gql/graphql";
import { ChatReplay } from "../components/videos/ChatReplay";
import { formatDuration } from "../components/videos/duration";
import { deleteAndLeave } from "../components/videos/deleteAndLeave";
import { ClipButton } from "../components/clips/ClipButton";

const VideoQuery = graphql(`
  query VideoPage($id: ID!) {
    video(id: $id) {
      id
      channelId
      title
      category
      startedAt
      durationSeconds
      playlistUrl
      thumbnailUrl
      channel {
        username
        displayName
        avatarUrl
      }
    }
  }
`);

const DeleteVideoMutation = graphql(`
  mutation DeleteVideo($id: ID!) {
    deleteVideo(id: $id)
  }
`);

type Video = NonNullable<VideoPageQuery["video"]>;

/** `/videos/{id}`: a past broadcast played from its VOD playlist, with its chat replayed beside it. */
export function VideoPage({ id }: { id: string }) {
  const { t, lang, me, toast, navigate } = useApp();
  const [video, setVideo] = useState<Video | null | undefined>(undefined);
  const [position, setPosition] = useState<number | null>(null);

  useEffect(() => {
    let cancelled = false;
    request(VideoQuery, { id })
      .then((data) => !cancelled && setVideo(data.video ?? null))
      .catch((e: Error) => {
        if (!cancelled) setVideo(null);
        toast("error", e.message);
      });
    return () => {
      cancelled = true;
    };
  }, [id, toast]);

  if (video === undefined) return <p className="muted">{t("loading")}</p>;
  if (video === null) return <p data-testid="video-missing">{t("videoNotFound")}</p>;

  const remove = () =>
    deleteAndLeave({ t, toast, navigate }, { confirm: "deleteVideoConfirm", done: "videoDeleted" }, video.channel, () =>
      request(DeleteVideoMutation, { id: video.id }),
    );

  return (
    <div className="channel" data-testid="video-page">
      <div className="channel-main">
        {video.playlistUrl && <VodPlayer url={video.playlistUrl} poster={video.thumbnailUrl ?? undefined} startedAt={video.startedAt} onPosition={setPosition} />}
        <div className="channel-head">
          <div>
            <h1 data-testid="video-title">{video.title}</h1>
            {video.channel && (
              <Link to={`/${video.channel.username}`} testId="video-channel">
                {video.channel.displayName}
              </Link>
            )}
            <div className="muted">
              {t("streamedOn", { date: new Date(video.startedAt).toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" }) })} ·{" "}
              {formatDuration(video.durationSeconds)}
            </div>
          </div>
          <div className="spacer" />
          <ClipButton channelId={video.channelId} videoId={video.id} position={position} />
          {me?.id === video.channelId && (
            <button type="button" className="danger" data-testid="delete-video" onClick={() => void remove()}>
              {t("deleteVideo")}
            </button>
          )}
        </div>
      </div>
      <ChatReplay videoId={video.id} position={position} />
    </div>
  );
}

/**
 * hls.js over the VOD playlist (natively on Safari). The position reported is seconds into the
 * broadcast by the wall clock the recording carries (program date time), so a recording with a
 * break (the encoder reconnected) keeps its chat in step; without one, the media time.
 */
function VodPlayer({ url, poster, startedAt, onPosition }: { url: string; poster?: string; startedAt: string; onPosition: (seconds: number) => void }) {
  const element = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const v = element.current!;
    const start = Date.parse(startedAt);
    let hls: Hls | null = null;
    if (Hls.isSupported()) {
      hls = new Hls({ maxBufferLength: 30 });
      hls.loadSource(url);
      hls.attachMedia(v);
    } else {
      v.src = url;
    }
    // The wall-clock time at a media time, from the playlist's fragment there (its program date time
    // and how far into it): exact after a seek while paused too, when hls.playingDate still names the
    // fragment played before the seek.
    const dateAt = (t: number): number | null => {
      const fragments = hls?.levels[Math.max(0, hls.currentLevel)]?.details?.fragments;
      if (!fragments || fragments.length === 0) return null;
      const fragment = fragments.find((f) => t < f.start + f.duration) ?? fragments[fragments.length - 1];
      return fragment.programDateTime === null ? null : fragment.programDateTime + (t - fragment.start) * 1000;
    };
    const report = () => {
      const date = dateAt(v.currentTime);
      onPosition(date !== null ? Math.max(0, (date - start) / 1000) : v.currentTime);
    };
    v.addEventListener("timeupdate", report);
    v.addEventListener("seeked", report);
    return () => {
      v.removeEventListener("timeupdate", report);
      v.removeEventListener("seeked", report);
      hls?.destroy();
    };
  }, [url, startedAt, onPosition]);
  return <video ref={element} className="player" data-testid="vod-player" controls playsInline poster={poster} />;
}
