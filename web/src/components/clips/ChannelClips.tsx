import { useCallback, useState } from "react";
import { request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import type { ClipCardFragment, ClipOrder } from "../../gql/graphql";
import { usePaged } from "../../paging";
import { LoadMoreGrid } from "../LoadMore";
import { formatDuration } from "../videos/duration";

graphql(`
  fragment ClipCard on Clip {
    id
    title
    durationSeconds
    thumbnailUrl
    viewCount
    createdAt
    creator {
      displayName
    }
  }
`);

const ClipsQuery = graphql(`
  query ChannelClips($c: ID!, $after: String, $order: ClipOrder) {
    clips(channelId: $c, first: 12, after: $after, orderBy: $order) {
      edges {
        node {
          ...ClipCard
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** The channel page's clips: newest or most viewed first, a page at a time. */
export function ChannelClips({ channelId }: { channelId: string }) {
  const { t, toast } = useApp();
  const [order, setOrder] = useState<ClipOrder>("NEWEST");
  const fetchPage = useCallback(async (after: string | null) => (await request(ClipsQuery, { c: channelId, after, order })).clips, [channelId, order]);
  const onError = useCallback((e: Error) => toast("error", e.message), [toast]);
  const clips = usePaged<ClipCardFragment>(fetchPage, onError);
  if (clips.items === null) return null;
  return (
    <section className="past-broadcasts" data-testid="channel-clips">
      <div className="row-wrap">
        <h2>{t("clips")}</h2>
        <div className="spacer" />
        {(["NEWEST", "MOST_VIEWED"] as const).map((o) => (
          <button key={o} type="button" className={order === o ? "" : "ghost"} aria-pressed={order === o} data-testid={`clips-order-${o.toLowerCase()}`} onClick={() => setOrder(o)}>
            {o === "NEWEST" ? t("clipsNewest") : t("clipsTop")}
          </button>
        ))}
      </div>
      <LoadMoreGrid paged={clips} empty={<p className="muted">{t("noClips")}</p>} itemKey={(c) => c.id} card={(c) => <ClipCard clip={c} />} />
    </section>
  );
}

function ClipCard({ clip }: { clip: ClipCardFragment }) {
  const { t } = useApp();
  return (
    <article className="card video-card" data-testid="clip-card" data-clip-id={clip.id}>
      <Link to={`/clips/${clip.id}`} className="card-main">
        <div className="thumb">
          {clip.thumbnailUrl ? (
            <img src={clip.thumbnailUrl} alt="" loading="lazy" data-testid="clip-thumbnail" />
          ) : (
            <span className="thumb-empty" aria-hidden="true">
              ✂
            </span>
          )}
          <span className="thumb-viewers">{formatDuration(clip.durationSeconds)}</span>
        </div>
        <div className="card-title" title={clip.title} data-testid="clip-card-title">
          {clip.title}
        </div>
        <div className="muted">
          {[clip.creator ? t("clippedBy", { name: clip.creator.displayName }) : null, (clip.viewCount === 1 ? t("clipOneView") : t("clipViews", { count: String(clip.viewCount) }))].filter(Boolean).join(" · ")}
        </div>
      </Link>
    </article>
  );
}
