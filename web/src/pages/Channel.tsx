import { useCallback, useEffect, useRef, useState } from "react";
import { createClient } from "graphql-ws";
import { request, subscribe } from "../api";
import { Link, useApp } from "../context";
import { graphql } from "../gql";
import type { ChannelPageFragment as Channel } from "../gql/graphql";
import { ChatPanel } from "../components/chat/Chat";
import { BlockUserMutation, UnblockUserMutation } from "../components/blocking";
import { SponsorPlans } from "../components/channel/SponsorPlans";
import { CategoryLink } from "../components/discovery/Directory";
import { Player } from "../components/channel/Player";
import { LiveKitPlayer } from "../components/channel/LiveKitPlayer";
import { PastBroadcasts } from "../components/videos/PastBroadcasts";
import { ClipButton } from "../components/clips/ClipButton";
import { ChannelClips } from "../components/clips/ChannelClips";
import { MatureGate } from "../components/discovery/MatureGate";
import { TagChips } from "../components/discovery/TagChips";
import { languageName } from "../components/discovery/languages";

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
    blockedByMe
    viewerCount
    tags
    language
    mature
    liveStream {
      title
      category
      playbackUrl
      ingest
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
      raid {
        toUsername
        fromDisplayName
      }
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

function safeUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}

export function ChannelPage({ username }: { username: string }) {
  const { t, lang, me, toast, navigate } = useApp();
  const [channel, setChannel] = useState<Channel | null | undefined>(undefined);

  // Events can trigger refetches in quick succession (viewer count, then offline): only the newest
  // request may set the page, or a slower older answer would leave it showing a stale state.
  const latest = useRef(0);
  const load = useCallback(() => {
    const attempt = ++latest.current;
    request(ChannelQuery, { u: username })
      .then((d) => {
        if (attempt === latest.current) setChannel(d.channel ?? null);
      })
      .catch((e: Error) => {
        if (attempt !== latest.current) return;
        setChannel(null);
        toast("error", e.message);
      });
  }, [username, toast]);

  useEffect(load, [load]);

  // Going live or offline while the page is open: refetch (playback URL, title).
  const channelId = channel?.id;
  const [subscribed, setSubscribed] = useState(false);
  useEffect(() => {
    if (!channelId) return;
    const client = createClient({
      url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
      lazy: true,
      retryAttempts: 5,
      on: {
        // The server handles a socket's messages in order, so a ping sent behind the subscribe (which
        // goes out in this tick) is answered once the subscription is in place. Then refetch: a change
        // made while the page was loading, or while the socket was reconnecting, is not missed.
        connected: (socket) =>
          void setTimeout(() => {
            const ws = socket as WebSocket;
            if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "ping" }));
          }),
        pong: (received) => {
          if (!received) return;
          setSubscribed(true);
          load();
        },
        closed: () => setSubscribed(false),
      },
    });
    const stop = subscribe(
      client,
      StreamStatusSubscription,
      { c: channelId },
      {
        // A raid takes the viewers along to the raided channel, which greets them.
        next: (r) => {
          const raid = r.data?.streamStatusChanged.raid;
          if (raid) navigate(`/${raid.toUsername}?raid=${encodeURIComponent(raid.fromDisplayName)}`);
          else load();
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    return () => {
      stop();
      void client.dispose();
      setSubscribed(false);
    };
  }, [channelId, load, navigate]);

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
      dispatchEvent(new Event("wg:follows-changed"));
      toast("success", t(channel.followedByMe ? "unfollowed" : "followed", { name: channel.displayName }));
    } catch (e) {
      toast("error", (e as Error).message);
    }
  };

  const toggleBlock = async () => {
    if (!channel.blockedByMe && !confirm(t("blockConfirm", { name: channel.displayName }))) return;
    try {
      if (channel.blockedByMe) await request(UnblockUserMutation, { u: channel.id });
      else await request(BlockUserMutation, { u: channel.id });
      setChannel({ ...channel, blockedByMe: !channel.blockedByMe });
      toast("success", t(channel.blockedByMe ? "userUnblocked" : "userBlocked", { name: channel.displayName }));
    } catch (e) {
      toast("error", (e as Error).message);
    }
  };

  // Arrived with a raid (the raiding channel's page sent us here): say so once on this page.
  const raidFrom = new URLSearchParams(location.search).get("raid");
  const playback = channel.isLive ? channel.liveStream?.playbackUrl : null;
  // LiveKit broadcasts have no HLS playlist: the player joins the channel's LiveKit room instead.
  const liveKit = channel.isLive && channel.liveStream?.ingest === "LIVE_KIT";
  return (
    <div className="channel" data-testid="channel" data-subscribed={subscribed}>
      <div className="channel-main">
        {raidFrom && (
          <p className="notice" role="status" data-testid="raid-notice">
            {t("raidArrived", { name: raidFrom })}
          </p>
        )}
        {channel.bannerUrl && <img className="banner" src={channel.bannerUrl} alt="" />}
        {liveKit || playback ? (
          <MatureGate key={channel.id} channelId={channel.id} name={channel.displayName} mature={channel.mature}>
            {liveKit ? <LiveKitPlayer channelId={channel.id} /> : <Player url={playback!} channelId={channel.id} />}
          </MatureGate>
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
              {channel.isLive && (
                <span className="badge-live" data-testid="live-badge">
                  {t("live")}
                </span>
              )}
            </h1>
            {channel.liveStream && channel.liveStream.title !== channel.displayName && (
              <div className="stream-title" data-testid="channel-stream-title">
                {channel.liveStream.title}
              </div>
            )}
            <div className="channel-meta">
              {channel.liveStream?.category && <CategoryLink slug={channel.liveStream.category} testId="channel-category" />}
              {channel.language && <span className="muted" data-testid="channel-language">{languageName(channel.language, lang)}</span>}
              {channel.mature && <span className="badge-mature" title={t("matureLabel")}>{t("matureBadge")}</span>}
              <TagChips tags={channel.tags} testId="channel-tags" />
            </div>
            <div className="muted" data-testid="follower-count">
              <Link to={`/${channel.username}/followers`} testId="followers-link">
                {channel.followerCount} {t("followers")}
              </Link>
              {channel.isLive && <span data-testid="viewer-count">{` · ${channel.viewerCount} ${t("viewers")}`}</span>}
            </div>
          </div>
          <div className="spacer" />
          {me?.id !== channel.id && (
            <button type="button" data-testid="follow" className={channel.followedByMe ? "ghost" : ""} onClick={toggleFollow}>
              {me ? (channel.followedByMe ? t("following") : t("follow")) : t("signInToFollow")}
            </button>
          )}
          {channel.isLive && <ClipButton channelId={channel.id} />}
          {me && me.id !== channel.id && (
            <button type="button" data-testid="block-channel" className="ghost" onClick={() => void toggleBlock()}>
              {channel.blockedByMe ? t("unblock") : t("block")}
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
        <SponsorPlans channelId={channel.id} displayName={channel.displayName} />
        <PastBroadcasts channelId={channel.id} />
        <ChannelClips channelId={channel.id} />
      </div>
      <ChatPanel channelId={channel.id} />
    </div>
  );
}
