import { useCallback } from "react";
import { request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import type { VideoCardFragment } from "../../gql/graphql";
import { usePaged } from "../../paging";
import { LoadMoreGrid } from "../LoadMore";
import { formatDuration } from "./duration";

graphql(`
  fragment VideoCard on Video {
    id
    title
    startedAt
    durationSeconds
    thumbnailUrl
  }
`);

const VideosQuery = graphql(`
  query ChannelVideos($c: ID!, $after: String) {
    videos(channelId: $c, first: 12, after: $after) {
      edges {
        node {
          ...VideoCard
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** The channel page's past broadcasts: newest first, a page at a time. */
export function PastBroadcasts({ channelId }: { channelId: string }) {
  const { t, toast } = useApp();
  const fetchPage = useCallback(async (after: string | null) => (await request(VideosQuery, { c: channelId, after })).videos, [channelId]);
  const onError = useCallback((e: Error) => toast("error", e.message), [toast]);
  const videos = usePaged<VideoCardFragment>(fetchPage, onError);
  if (videos.items === null) return null;
  return (
    <section className="past-broadcasts" data-testid="past-broadcasts">
      <h2>{t("pastBroadcasts")}</h2>
      <LoadMoreGrid paged={videos} empty={<p className="muted">{t("noPastBroadcasts")}</p>} itemKey={(v) => v.id} card={(v) => <VideoCard video={v} />} />
    </section>
  );
}

function VideoCard({ video }: { video: VideoCardFragment }) {
  const { t, lang } = useApp();
  return (
    <article className="card video-card" data-testid="video-card" data-video-id={video.id}>
      <Link to={`/videos/${video.id}`} className="card-main">
        <div className="thumb">
          {video.thumbnailUrl ? (
            <img src={video.thumbnailUrl} alt="" loading="lazy" data-testid="video-thumbnail" />
          ) : (
            <span className="thumb-empty" aria-hidden="true">
              ▶
            </span>
          )}
          <span className="thumb-viewers" data-testid="video-duration">
            {formatDuration(video.durationSeconds)}
          </span>
        </div>
        <div className="card-title" title={video.title}>
          {video.title}
        </div>
        <div className="muted">{t("streamedOn", { date: new Date(video.startedAt).toLocaleDateString(lang, { dateStyle: "medium" }) })}</div>
      </Link>
    </article>
  );
}
