import { useCallback, useEffect, useRef, useState } from "react";
import Hls from "hls.js";
import { createClient } from "graphql-ws";
import { request } from "../api";
import { useApp } from "../context";
import { graphql } from "../gql";
import type { ChannelPageFragment as Channel } from "../gql/graphql";
import { ChatPanel } from "./Chat";
import { CategoryLink } from "./Directory";

graphql(`
  fragment ChannelPage on Channel {
    id
    username
    displayName
    bio
    avatarUrl
    bannerUrl
    socialLinks {
      id
      title
      url
    }
    followerCount
    isLive
    verified
    followedByMe
    viewerCount
    liveStream {
      title
      category
      playbackUrl
    }
  }
`);

const ChannelQuery = graphql(`
  query ChannelPage($u: String!) {
    channel(username: $u) {
      ...ChannelPage
    }
  }
`);

const StreamStatusSubscription = graphql(`
  subscription StreamStatus($c: ID!) {
    streamStatusChanged(channelId: $c) {
      kind
      isLive
    }
  }
`);

const FollowMutation = graphql(`
  mutation Follow($c: ID!) {
    follow(channelId: $c) {
      followerCount
      followedByMe
    }
  }
`);

const UnfollowMutation = graphql(`
  mutation Unfollow($c: ID!) {
    unfollow(channelId: $c) {
      followerCount
      followedByMe
    }
  }
`);

function Player({ url }: { url: string }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = video.current!;
    if (Hls.isSupported()) {
      const hls = new Hls({ lowLatencyMode: true });
      hls.loadSource(url);
      hls.attachMedia(element);
      return () => hls.destroy();
    }
    element.src = url; // Safari plays HLS natively
    return undefined;
  }, [url]);
  return <video ref={video} className="player" data-testid="player" controls autoPlay muted playsInline />;
}

function safeUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}

export function ChannelPage({ username }: { username: string }) {
  const { t, me, toast, navigate } = useApp();
  const [channel, setChannel] = useState<Channel | null | undefined>(undefined);

  const load = useCallback(() => {
    request(ChannelQuery, { u: username })
      .then((d) => setChannel(d.channel ?? null))
      .catch((e: Error) => {
        setChannel(null);
        toast("error", e.message);
      });
  }, [username, toast]);

  useEffect(load, [load]);

  // Going live or offline while the page is open: refetch (playback URL, title).
  const channelId = channel?.id;
  useEffect(() => {
    if (!channelId) return;
    const client = createClient({ url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`, lazy: true, retryAttempts: 5 });
    const stop = client.subscribe(
      { query: StreamStatusSubscription.toString(), variables: { c: channelId } },
      { next: () => load(), error: () => undefined, complete: () => undefined },
    );
    return () => {
      stop();
      void client.dispose();
    };
  }, [channelId, load]);

  if (channel === undefined) return <p className="muted">{t("loading")}</p>;
  if (channel === null) return <p data-testid="channel-missing">{t("channelNotFound")}</p>;

  const toggleFollow = async () => {
    if (!me) {
      navigate("/login");
      return;
    }
    try {
      const counts = channel.followedByMe
        ? (await request(UnfollowMutation, { c: channel.id })).unfollow
        : (await request(FollowMutation, { c: channel.id })).follow;
      setChannel({ ...channel, ...counts });
      toast("success", t(channel.followedByMe ? "unfollowed" : "followed", { name: channel.displayName }));
    } catch (e) {
      toast("error", (e as Error).message);
    }
  };

  const playback = channel.isLive ? channel.liveStream?.playbackUrl : null;
  return (
    <div className="channel">
      <div className="channel-main">
        {channel.bannerUrl && <img className="banner" src={channel.bannerUrl} alt="" />}
        {playback ? (
          <Player url={playback} />
        ) : (
          <div className="player offline" data-testid="offline">
            {t("offline")}
          </div>
        )}
        <div className="channel-head">
          {channel.avatarUrl ? <img className="avatar big" src={channel.avatarUrl} alt="" /> : <span className="avatar big placeholder">{channel.displayName[0]}</span>}
          <div>
            <h1 data-testid="channel-name">
              {channel.displayName} {channel.verified && <span title="verified">✔</span>}
              {channel.isLive && <span className="badge-live">{t("live")}</span>}
            </h1>
            {channel.liveStream && <div>{channel.liveStream.title}</div>}
            {channel.liveStream?.category && <CategoryLink slug={channel.liveStream.category} testId="channel-category" />}
            <div className="muted" data-testid="follower-count">
              {channel.followerCount} {t("followers")}
              {channel.isLive ? ` · ${channel.viewerCount} ${t("viewers")}` : ""}
            </div>
          </div>
          <div className="spacer" />
          {me?.id !== channel.id && (
            <button type="button" data-testid="follow" className={channel.followedByMe ? "ghost" : ""} onClick={toggleFollow}>
              {me ? (channel.followedByMe ? t("following") : t("follow")) : t("signInToFollow")}
            </button>
          )}
        </div>
        {channel.bio && <p className="bio" data-testid="bio">{channel.bio}</p>}
        {channel.socialLinks.length > 0 && (
          <ul className="links">
            {channel.socialLinks.map((l) => (
              <li key={l.id}>
                <a href={safeUrl(l.url)} target="_blank" rel="noopener noreferrer nofollow">
                  {l.title}
                </a>
              </li>
            ))}
          </ul>
        )}
      </div>
      <ChatPanel channelId={channel.id} />
    </div>
  );
}
