import { useCallback, useEffect, useState } from "react";
import { request } from "../api";
import { Link, useApp } from "../context";
import { graphql } from "../gql";
import type { ChannelFollowersQuery, FollowersChannelQuery } from "../gql/graphql";
import { usePaged } from "../paging";
import { ChannelGrid, PAGE_SIZE, toPage, usePagedChannels } from "../components/discovery/Directory";

const FollowingPageQuery = graphql(`
  query FollowingPage($first: Int!, $after: String) {
    followedChannels(first: $first, after: $after) {
      edges {
        node {
          ...DirectoryChannel
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const FollowersChannelQuery = graphql(`
  query FollowersChannel($u: String!) {
    channel(username: $u) {
      id
      username
      displayName
      followerCount
    }
  }
`);

const ChannelFollowersQueryDocument = graphql(`
  query ChannelFollowers($c: ID!, $first: Int!, $after: String) {
    followers(channelId: $c, first: $first, after: $after) {
      edges {
        followedAt
        node {
          id
          username
          displayName
          avatarSmallUrl
          isLive
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type Follower = ChannelFollowersQuery["followers"]["edges"][number];
type FollowedChannel = NonNullable<FollowersChannelQuery["channel"]>;

/** /following: every channel the signed-in user follows, live ones first, paged as you scroll. */
export function FollowingPage() {
  const { t, me } = useApp();
  const fetchPage = useCallback(
    (after: string | null) => request(FollowingPageQuery, { first: PAGE_SIZE, after }).then((d) => toPage(d.followedChannels)),
    [],
  );
  const list = usePagedChannels(me ? fetchPage : null);
  if (!me) return <p data-testid="following-signin">{t("mustSignInFollowing")}</p>;
  return (
    <div className="following-page">
      <h1>{t("followingTitle")}</h1>
      <ChannelGrid list={list} empty={t("followingEmpty")} testId="following-channels" emptyTestId="following-empty" />
    </div>
  );
}

/** /{username}/followers: who follows a channel, newest first, with "load more". */
export function FollowersPage({ username }: { username: string }) {
  const { t, toast } = useApp();
  const [channel, setChannel] = useState<FollowedChannel | null | undefined>(undefined);
  useEffect(() => {
    let current = true;
    request(FollowersChannelQuery, { u: username })
      .then((d) => current && setChannel(d.channel ?? null))
      .catch((e: Error) => {
        if (!current) return;
        setChannel(null);
        toast("error", e.message);
      });
    return () => {
      current = false;
    };
  }, [username, toast]);

  if (channel === undefined) return <p className="muted">{t("loading")}</p>;
  if (channel === null) return <p data-testid="channel-missing">{t("channelNotFound")}</p>;
  return (
    <div className="followers-page">
      <p className="crumbs">
        <Link to={`/${channel.username}`} testId="followers-back">
          {channel.displayName}
        </Link>
      </p>
      <h1>{t("followersTitle", { name: channel.displayName })}</h1>
      <FollowersList channelId={channel.id} />
    </div>
  );
}

function FollowersList({ channelId }: { channelId: string }) {
  const { t, lang, toast } = useApp();
  const onError = useCallback((e: Error) => toast("error", e.message), [toast]);
  const fetchPage = useCallback(
    // Each item is the whole edge: when the follow began is on the edge, not the channel.
    (after: string | null) =>
      request(ChannelFollowersQueryDocument, { c: channelId, first: PAGE_SIZE, after }).then((d) => ({
        edges: d.followers.edges.map((edge) => ({ node: edge })),
        pageInfo: d.followers.pageInfo,
      })),
    [channelId],
  );
  const { items, hasMore, loading, loadMore } = usePaged<Follower>(fetchPage, onError);
  if (items === null) return <p className="muted">{t("loading")}</p>;
  const date = new Intl.DateTimeFormat(lang, { dateStyle: "medium" });
  return (
    <>
      {items.length === 0 ? (
        <p className="muted" data-testid="followers-empty">
          {t("followersEmpty")}
        </p>
      ) : (
        <ul className="people" data-testid="followers">
          {items.map((f) => (
            <li key={f.node.id}>
              <Link to={`/${f.node.username}`} className="person" testId={`follower-${f.node.username}`}>
                {f.node.avatarSmallUrl ? <img className="avatar" src={f.node.avatarSmallUrl} alt="" /> : <span className="avatar placeholder">{f.node.displayName[0]}</span>}
                <span>{f.node.displayName}</span>
                {f.node.isLive && <span className="badge-live">{t("live")}</span>}
              </Link>
              <span className="muted small">{t("followedSince", { date: date.format(new Date(f.followedAt)) })}</span>
            </li>
          ))}
        </ul>
      )}
      {hasMore && (
        <button type="button" className="ghost" disabled={loading} onClick={loadMore} data-testid="followers-more">
          {t("loadMore")}
        </button>
      )}
    </>
  );
}
