import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type FormEvent } from "react";
import { HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from "@microsoft/signalr";
import { request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { ChatLineFragment as ChatMessage, ChatModesFragment as ChatSettings, ChatPinnedFragment as ChatPin } from "../../gql/graphql";
import { nickColors } from "../../nickColor";
import { ChatModes, ChatPickers, emoteSrcSet, insertAt, type Insertion } from "./ChatExtras";
import { PinnedMessage, RaidBanner } from "./ChatPinned";
import { applyHeldEvent, HeldList, type Held, type HeldEvent } from "./HeldMessages";
import { BlockUserMutation } from "../blocking";

// The hub sends these shapes too (a server test compares them with GraphQL's field by field), so the
// SignalR payloads are typed from the schema like every query.
graphql(`
  fragment ChatLine on ChatMessage {
    id
    seq
    channelId
    senderId
    username
    color
    badges
    sentAt
    text
    fragments {
      kind
      text
      imageUrl
      userId
      emote {
        id
        animated
        images {
          size
          url
        }
      }
    }
    reply {
      messageId
      senderId
      username
      text
    }
  }
`);

graphql(`
  fragment ChatPinned on ChatPin {
    message {
      ...ChatLine
    }
    pinnedBy
    until
  }
`);

graphql(`
  fragment ChatModes on ChatSettings {
    enabled
    slowModeSeconds
    followersOnly
    followersOnlyMinutes
    emoteOnly
    sponsorsOnly
  }
`);

const ChatRoomQuery = graphql(`
  query ChatRoomAccess($c: ID!) {
    chatRoom(channelId: $c) {
      canModerate
      settings {
        ...ChatModes
      }
    }
  }
`);

const PinMessageMutation = graphql(`
  mutation PinChatMessage($c: ID!, $m: ID!, $seconds: Int!) {
    pinChatMessage(channelId: $c, messageId: $m, seconds: $seconds) {
      until
    }
  }
`);

const UnpinMessageMutation = graphql(`
  mutation UnpinChatMessage($c: ID!) {
    unpinChatMessage(channelId: $c)
  }
`);

const ClearChatMutation = graphql(`
  mutation ClearChat($c: ID!) {
    clearChat(channelId: $c)
  }
`);

// Pages of history for a client that was away longer than one join's worth (100 messages). A page
// of full lines scores about 57 each against GraphQL:MaxComplexity (2,000): 30 fit, 100 would be
// refused (PersistedDocumentLimitsTests holds every document to the limits).
const ChatBackfillQuery = graphql(`
  query ChatBackfill($c: ID!, $before: String) {
    chatMessages(channelId: $c, last: 30, before: $before) {
      messages {
        ...ChatLine
      }
      hasPreviousPage
      startCursor
    }
  }
`);

const DeleteMessageMutation = graphql(`
  mutation DeleteChatMessage($c: ID!, $m: ID!) {
    deleteChatMessage(channelId: $c, messageId: $m)
  }
`);

const ReportMessageMutation = graphql(`
  mutation ReportMessage($c: ID!, $m: ID!, $u: ID!, $r: String!) {
    reportMessage(channelId: $c, messageId: $m, userId: $u, reason: $r) {
      id
    }
  }
`);

const TimeoutUserMutation = graphql(`
  mutation TimeoutUser($c: ID!, $u: ID!, $seconds: Int!) {
    timeoutUser(channelId: $c, userId: $u, seconds: $seconds)
  }
`);

const BanUserMutation = graphql(`
  mutation BanUser($c: ID!, $u: ID!) {
    banUser(channelId: $c, userId: $u)
  }
`);

interface SendResult {
  ok: boolean;
  message: ChatMessage | null;
  error: { code: string; message: string; rule: string | null; retryAt: string | null } | null;
}

interface JoinResult {
  messages: ChatMessage[];
  hasOlder: boolean;
  settings: ChatSettings;
  pinned: ChatPin | null;
}

/** Merge by seq (the room's one order; a 64-bit decimal string): history and live messages may overlap around the join. */
function merge(list: ChatMessage[], more: ChatMessage[]): ChatMessage[] {
  const bySeq = new Map(list.map((m) => [m.seq, m]));
  for (const m of more) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => compareSeq(a.seq, b.seq)).slice(-200);
}

/**
 * After a reconnect (the server cuts a client that falls behind; a network blip does too): the
 * join returns the newest 100 messages. If those begin after the newest one we hold and there are
 * older ones, messages may have come in between; page back until the gap is closed, so the list
 * never silently skips any.
 */
async function backfill(
  channelId: string,
  held: string | undefined,
  fresh: ChatMessage[],
  hasOlder: boolean,
): Promise<{ messages: ChatMessage[]; contiguous: boolean }> {
  if (held === undefined || !hasOlder || fresh.length === 0 || compareSeq(fresh[0].seq, held) <= 0) return { messages: fresh, contiguous: true };
  try {
    let page = (await request(ChatBackfillQuery, { c: channelId })).chatMessages;
    let all = merge([], [...page.messages, ...fresh]);
    while (page.hasPreviousPage && page.startCursor && all.length < 200 && compareSeq(all[0].seq, held) > 0) {
      page = (await request(ChatBackfillQuery, { c: channelId, before: page.startCursor })).chatMessages;
      all = merge([], [...page.messages, ...all]);
    }
    // Still a gap after a screenful: show only what is known to be contiguous.
    return { messages: all, contiguous: compareSeq(all[0].seq, held) <= 0 || !page.hasPreviousPage };
  } catch {
    return { messages: fresh, contiguous: false };
  }
}

function compareSeq(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

interface ModActions {
  remove: (m: ChatMessage) => void;
  timeout: (m: ChatMessage) => void;
  ban: (m: ChatMessage) => void;
  pin: (m: ChatMessage) => void;
}

const badgeTitles = {
  broadcaster: "badgeBroadcaster",
  moderator: "badgeModerator",
  sponsor: "badgeSponsor",
  verified: "badgeVerified",
  vip: "badgeVip",
} as const;

/** One chat message as the room shows it (live, or replayed on a past broadcast without moderation). */
export function ChatLine({
  m,
  mod,
  onReport,
  onBlock,
  onReply,
}: {
  m: ChatMessage;
  mod: ModActions | null;
  onReport?: (m: ChatMessage) => void;
  onBlock?: (m: ChatMessage) => void;
  onReply?: (m: ChatMessage) => void;
}) {
  const { t, me } = useApp();
  const nick = nickColors(m.color);
  // A line that mentions the viewer, or answers one of theirs, stands out for them.
  const mentionsMe = !!me && (m.fragments.some((f) => f.kind === "MENTION" && f.userId === me.id) || m.reply?.senderId === me.id);
  return (
    <li className={mentionsMe ? "chat-line mentioned" : "chat-line"} data-testid="chat-line" data-seq={m.seq} data-mentioned={mentionsMe}>
      {m.reply && (
        <div className="chat-quote" data-testid="chat-quote" title={m.reply.text}>
          ↳ <strong>@{m.reply.username}</strong>: {m.reply.text}
        </div>
      )}
      {onReply && (
        <button type="button" className="ghost chat-report" data-testid="reply-message" title={t("replyTo", { name: m.username })} aria-label={t("replyTo", { name: m.username })} onClick={() => onReply(m)}>
          ↩
        </button>
      )}
      {onReport && !mod && (
        <button type="button" className="ghost chat-report" data-testid="report-message" title={t("reportMessage")} aria-label={t("reportMessage")} onClick={() => onReport(m)}>
          ⚑
        </button>
      )}
      {onBlock && (
        <button
          type="button"
          className="ghost chat-report"
          data-testid="block-sender"
          title={t("blockUser", { name: m.username })}
          aria-label={t("blockUser", { name: m.username })}
          onClick={() => onBlock(m)}
        >
          ⊘
        </button>
      )}
      {mod && (
        <span className="chat-mod">
          <button type="button" className="ghost" data-testid="mod-delete" title={t("deleteMessage")} onClick={() => mod.remove(m)}>
            ✕
          </button>
          <button type="button" className="ghost" data-testid="mod-timeout" title={t("timeout10")} onClick={() => mod.timeout(m)}>
            ⏱
          </button>
          <button type="button" className="ghost" data-testid="mod-ban" title={t("ban")} onClick={() => mod.ban(m)}>
            ⛔
          </button>
          <button type="button" className="ghost" data-testid="mod-pin" title={t("pinMessage")} onClick={() => mod.pin(m)}>
            📌
          </button>
        </span>
      )}
      {m.badges.map((b) => {
        const title = b in badgeTitles ? t(badgeTitles[b as keyof typeof badgeTitles]) : b;
        return (
          <span key={b} className={`chat-badge ${b}`} title={title} aria-label={title} role="img" data-testid={`badge-${b}`}>
            {b === "broadcaster" ? "host" : b === "moderator" ? "mod" : b === "sponsor" ? "★" : b === "verified" ? "✔" : b === "vip" ? "💎" : b}
          </span>
        );
      })}
      <img className="chat-avatar" data-testid="chat-avatar" src={`/avatars/${m.senderId}`} alt="" width={20} height={20} loading="lazy" />
      <strong className="nick" data-testid="chat-nick" style={{ "--nick-light": nick.light, "--nick-dark": nick.dark } as CSSProperties}>
        {m.username}
      </strong>
      <span className="colon">: </span>
      <span className="text">
        {m.fragments.map((f, i) =>
          f.kind === "EMOTE" && f.imageUrl ? (
            <img
              key={i}
              className="emote"
              src={f.imageUrl}
              srcSet={emoteSrcSet(f.emote?.images)}
              alt={f.text}
              title={f.text}
              data-testid={f.emote ? "channel-emote" : undefined}
            />
          ) : f.kind === "MENTION" ? (
            <span key={i} className={f.userId === me?.id ? "mention me" : "mention"} data-testid="mention">
              {f.text}
            </span>
          ) : (
            <span key={i}>{f.text}</span>
          ),
        )}
      </span>
    </li>
  );
}

export function ChatPanel({ channelId }: { channelId: string }) {
  const { t, me, lang, toast, checkSession } = useApp();
  const [canModerate, setCanModerate] = useState(false);
  const [settings, setSettings] = useState<ChatSettings | null>(null);
  // Counts settingsChanged events: a join answer or query result read before the newest event is stale.
  const settingsVersion = useRef(0);
  const input = useRef<HTMLInputElement>(null);
  const caret = useRef<number | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  // What the list holds, for a rejoin to see where it left off.
  const held = useRef<ChatMessage[]>([]);
  useEffect(() => {
    held.current = messages;
  }, [messages]);
  const [text, setText] = useState("");
  const [refusal, setRefusal] = useState<string | null>(null);
  // The sender's own last message waits for a moderator (AutoMod): told so, not as an error.
  const [heldNotice, setHeldNotice] = useState(false);
  // For moderators: the room's AutoMod queue, watched over this same hub connection.
  const [heldQueue, setHeldQueue] = useState<Held[]>([]);
  const [connected, setConnected] = useState(false);
  const [replyTo, setReplyTo] = useState<ChatMessage | null>(null);
  const [pinned, setPinned] = useState<ChatPin | null>(null);
  const [raid, setRaid] = useState<{ fromDisplayName: string; viewers: number } | null>(null);
  const connection = useRef<HubConnection | null>(null);
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    let disposed = false;
    // Another channel (the panel stays mounted across client-side navigation): start empty.
    held.current = [];
    setMessages([]);
    const hub = new HubConnectionBuilder().withUrl("/hubs/chat").withAutomaticReconnect().configureLogging(LogLevel.Warning).build();
    connection.current = hub;
    hub.on("message", (m: ChatMessage) => {
      if (m.seq !== undefined) setMessages((l) => merge(l, [m]));
    });
    hub.on("messageDeleted", (e: { messageId: string }) => {
      setMessages((l) => l.filter((m) => m.id !== e.messageId));
      setPinned((p) => (p?.message.id === e.messageId ? null : p));
    });
    hub.on("userBanned", (e: { userId: string }) => {
      setMessages((l) => l.filter((m) => m.senderId !== e.userId));
      setPinned((p) => (p?.message.senderId === e.userId ? null : p));
    });
    hub.on("messagePinned", (p: ChatPin) => setPinned(p));
    hub.on("messageUnpinned", () => setPinned(null));
    hub.on("raid", (r: { fromDisplayName: string; viewers: number }) => setRaid(r));
    hub.on("chatCleared", () => {
      held.current = [];
      setMessages([]);
      setReplyTo(null);
    });
    hub.on("heldMessage", (e: HeldEvent) => setHeldQueue((l) => applyHeldEvent(l, e)));
    hub.on("settingsChanged", (s: ChatSettings) => {
      settingsVersion.current++;
      setSettings(s);
    });
    const join = async () => {
      const version = settingsVersion.current;
      const result = await hub.invoke<JoinResult>("JoinChannel", channelId);
      const resumed = await backfill(channelId, held.current.at(-1)?.seq, result.messages, result.hasOlder);
      if (!disposed) {
        setMessages((l) => (resumed.contiguous ? merge(l, resumed.messages) : resumed.messages.slice(-200)));
        if (result.settings && version === settingsVersion.current) setSettings(result.settings);
        setPinned(result.pinned ?? null);
        setConnected(true);
      }
    };
    hub.onreconnected(() => void join());
    // The server closes a revoked session's connections: find out whether we were signed out.
    hub.onreconnecting(() => {
      setConnected(false);
      if (!disposed) checkSession();
    });
    hub.onclose(() => {
      setConnected(false);
      if (!disposed) checkSession();
    });
    hub
      .start()
      .then(join)
      .catch((e: Error) => !disposed && setRefusal(e.message));
    return () => {
      disposed = true;
      connection.current = null;
      void hub.stop();
    };
  }, [channelId, me?.id, checkSession]);

  useEffect(() => {
    setCanModerate(false);
    let current = true;
    const version = settingsVersion.current;
    request(ChatRoomQuery, { c: channelId })
      .then((d) => {
        if (!current) return;
        setCanModerate(!!me && (d.chatRoom?.canModerate ?? false));
        if (d.chatRoom && version === settingsVersion.current) setSettings(d.chatRoom.settings);
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [channelId, me]);

  // A moderator watches the queue once connected, and again after a reconnect (the answer is the queue as it is).
  useEffect(() => {
    const hub = connection.current;
    if (!canModerate || !connected || !hub) {
      setHeldQueue([]);
      return;
    }
    let current = true;
    hub
      .invoke<{ messages: Held[] }>("WatchHeldMessages", channelId)
      .then((r) => current && setHeldQueue(r.messages))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [canModerate, connected, channelId]);

  // After an emoji or emote is put in, the caret goes right behind it.
  useLayoutEffect(() => {
    const element = input.current;
    if (caret.current === null || !element) return;
    element.focus();
    element.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  }, [text]);

  const insert = (what: Insertion) => {
    const element = input.current;
    const start = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? start;
    const next = insertAt(text, start, end, what);
    if (next.text.length > 500) return;
    caret.current = next.caret;
    setText(next.text);
  };

  const moderate = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      toast("success", done);
    } catch (e) {
      toast("error", (e as Error).message);
    }
  };
  const mod: ModActions | null = canModerate
    ? {
        remove: (m) => {
          setMessages((l) => l.filter((x) => x.id !== m.id));
          void moderate(() => request(DeleteMessageMutation, { c: channelId, m: m.id }), t("messageDeleted"));
        },
        timeout: (m) =>
          void moderate(() => request(TimeoutUserMutation, { c: channelId, u: m.senderId, seconds: 600 }), t("userTimedOut", { name: m.username })),
        ban: (m) => void moderate(() => request(BanUserMutation, { c: channelId, u: m.senderId }), t("userBanned", { name: m.username })),
        pin: (m) => {
          const minutes = Number(prompt(t("pinFor"), "5"));
          if (!Number.isFinite(minutes) || minutes <= 0) return;
          void moderate(() => request(PinMessageMutation, { c: channelId, m: m.id, seconds: Math.round(minutes * 60) }), t("messagePinned"));
        },
      }
    : null;

  // Anyone signed in reports someone else's message to the channel's moderators, saying why.
  const report = (m: ChatMessage) => {
    const reason = prompt(t("reportReason", { name: m.username }))?.trim();
    if (!reason) return;
    void moderate(() => request(ReportMessageMutation, { c: channelId, m: m.id, u: m.senderId, r: reason }), t("reported"));
  };

  // Replying: the input says to whom, and starts with their name so it reads as an answer.
  const reply = (m: ChatMessage) => {
    setReplyTo(m);
    if (!text.startsWith(`@${m.username}`)) setText(`@${m.username} ${text}`);
    input.current?.focus();
  };

  // Blocking someone hides what they already said here too; the server stops sending the rest.
  const block = (m: ChatMessage) => {
    if (!confirm(t("blockConfirm", { name: m.username }))) return;
    void moderate(async () => {
      await request(BlockUserMutation, { u: m.senderId });
      setMessages((l) => l.filter((x) => x.senderId !== m.senderId));
    }, t("userBlocked", { name: m.username }));
  };

  useEffect(() => {
    list.current?.scrollTo(0, list.current.scrollHeight);
  }, [messages]);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const hub = connection.current;
    if (!hub || hub.state !== HubConnectionState.Connected || !text.trim()) return;
    // Cleared once the server answers, but only if it still holds what was sent: what the viewer
    // typed while the send was on its way is theirs to keep.
    const sent = text;
    const clearSent = () => setText((current) => (current === sent ? "" : current));
    // A moderator's /clear is a command, not a message.
    if (canModerate && text.trim() === "/clear") {
      await moderate(() => request(ClearChatMutation, { c: channelId }), t("chatClearedToast"));
      clearSent();
      return;
    }
    try {
      const result = replyTo
        ? await hub.invoke<SendResult>("SendReply", channelId, sent, replyTo.id)
        : await hub.invoke<SendResult>("SendMessage", channelId, sent);
      if (result.ok && result.message) {
        setMessages((l) => merge(l, [result.message!]));
        clearSent();
        setReplyTo(null);
        setRefusal(null);
        setHeldNotice(false);
      } else if (result.error?.code === "HELD") {
        clearSent();
        setReplyTo(null);
        setRefusal(null);
        setHeldNotice(true);
      } else if (result.error) {
        setHeldNotice(false);
        const retry = result.error.retryAt
          ? ` (${t("retryAt", { time: new Date(result.error.retryAt).toLocaleTimeString(lang) })})`
          : "";
        setRefusal(`${result.error.message}${retry}`);
      }
    } catch (err) {
      setRefusal((err as Error).message);
    }
  };

  return (
    <aside className="chat" data-testid="chat" data-connected={connected}>
      <h2>{t("chat")}</h2>
      {canModerate && heldQueue.length > 0 && (
        <details className="chat-held" open data-testid="chat-held">
          <summary>{t("heldInChat", { count: String(heldQueue.length) })}</summary>
          <HeldList channelId={channelId} items={heldQueue} onDecided={(id) => setHeldQueue((l) => l.filter((h) => h.message.id !== id))} />
        </details>
      )}
      {pinned && <PinnedMessage pin={pinned} canUnpin={canModerate} onUnpin={() => void moderate(() => request(UnpinMessageMutation, { c: channelId }), t("messageUnpinned"))} onExpired={() => setPinned(null)} />}
      {raid && <RaidBanner raid={raid} onDone={() => setRaid(null)} />}
      <ul className="chat-list" ref={list}>
        {messages.map((m) => (
          <ChatLine
            key={m.seq}
            m={m}
            mod={mod && m.senderId !== me?.id ? mod : null}
            onReport={me && m.senderId !== me.id ? report : undefined}
            onBlock={me && m.senderId !== me.id && m.senderId !== channelId ? block : undefined}
            onReply={me ? reply : undefined}
          />
        ))}
      </ul>
      {settings && <ChatModes settings={settings} />}
      {heldNotice && (
        <p className="notice" role="status" data-testid="chat-held-notice">
          {t("heldYours")}
        </p>
      )}
      {refusal && (
        <p className="error" role="alert" data-testid="chat-refusal">
          {refusal}
        </p>
      )}
      {me ? (
        <form className="chat-send" onSubmit={send}>
          {replyTo && (
            <div className="chat-replying" data-testid="chat-replying">
              {t("replyingTo", { name: replyTo.username })}
              <button type="button" className="ghost" data-testid="cancel-reply" aria-label={t("cancel")} onClick={() => setReplyTo(null)}>
                ✕
              </button>
            </div>
          )}
          <ChatPickers channelId={channelId} onPick={insert} />
          <input
            ref={input}
            data-testid="chat-input"
            maxLength={500}
            placeholder={t("sendPlaceholder")}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" data-testid="chat-send" disabled={!connected}>
            {t("send")}
          </button>
        </form>
      ) : (
        <p className="muted">{t("signInToChat")}</p>
      )}
    </aside>
  );
}
