import { useCallback, useEffect, useState } from "react";
import { createClient } from "graphql-ws";
import { request, subscribe } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { AutoModCategory, HeldMessageEventKind, HeldMessageFieldsFragment as Held } from "../../gql/graphql";
import type { Key } from "../../i18n";

// The hub's heldMessage events carry this shape too (its JSON follows the schema), so one type serves both transports.
graphql(`
  fragment HeldMessageFields on HeldChatMessage {
    category
    expiresAt
    message {
      ...ChatLine
    }
  }
`);

// 20 a page: a chat line is costly to the complexity limit, and a moderator works from the oldest.
const HeldMessagesQuery = graphql(`
  query HeldMessages($c: ID!) {
    heldChatMessages(channelId: $c, first: 20) {
      edges {
        node {
          ...HeldMessageFields
        }
      }
    }
  }
`);

const ApproveHeldMutation = graphql(`
  mutation ApproveHeld($c: ID!, $m: ID!) {
    approveHeldChatMessage(channelId: $c, messageId: $m) {
      id
    }
  }
`);

const DenyHeldMutation = graphql(`
  mutation DenyHeld($c: ID!, $m: ID!) {
    denyHeldChatMessage(channelId: $c, messageId: $m)
  }
`);

const HeldEventsSubscription = graphql(`
  subscription HeldEvents($c: ID!) {
    heldChatMessageEvents(channelId: $c) {
      kind
      messageId
      held {
        ...HeldMessageFields
      }
    }
  }
`);

export type { Held };

export type HeldEvent = { kind: HeldMessageEventKind; messageId: string; held?: Held | null };

/** The queue after one live event: a new message at the end, or one that left it (approved, denied, expired). */
export function applyHeldEvent(list: Held[], e: HeldEvent): Held[] {
  if (e.kind === "HELD") return e.held && !list.some((h) => h.message.id === e.messageId) ? [...list, e.held] : list;
  return list.filter((h) => h.message.id !== e.messageId);
}

const categoryWords: Record<AutoModCategory, Key> = {
  INSULTS: "categoryInsults",
  SLURS: "categorySlurs",
  SEXUAL: "categorySexual",
  VIOLENCE: "categoryViolence",
  LINKS: "categoryLinks",
};

/** Held messages with Allow and Deny; a decision leaves the list at once (the live event confirms it). */
export function HeldList({ channelId, items, onDecided }: { channelId: string; items: Held[]; onDecided: (messageId: string) => void }) {
  const { t, lang, toast } = useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const decide = async (messageId: string, approve: boolean) => {
    setBusy(messageId);
    try {
      if (approve) await request(ApproveHeldMutation, { c: channelId, m: messageId });
      else await request(DenyHeldMutation, { c: channelId, m: messageId });
      toast("success", t(approve ? "heldApproved" : "heldDenied"));
      onDecided(messageId);
    } catch (e) {
      // Another moderator was quicker, or it expired: either way it is no longer waiting.
      if ((e as { code?: string }).code === "CONFLICT") onDecided(messageId);
      toast("error", (e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <ul className="held-list" data-testid="held-list">
      {items.map((h) => (
        <li key={h.message.id} data-testid="held-message" data-message-id={h.message.id}>
          <span className="held-text">{h.message.text}</span>
          <small className="muted">
            {t("heldBy", { name: h.message.username, category: t(categoryWords[h.category]), time: new Date(h.expiresAt).toLocaleTimeString(lang) })}
          </small>
          <span className="row">
            <button type="button" data-testid="held-approve" disabled={busy !== null} onClick={() => void decide(h.message.id, true)}>
              {t("heldApprove")}
            </button>
            <button type="button" className="danger" data-testid="held-deny" disabled={busy !== null} onClick={() => void decide(h.message.id, false)}>
              {t("heldDeny")}
            </button>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The dashboard's view of the queue: read over HTTP, kept current over graphql-ws (read again on each connect, so nothing is missed). */
export function HeldQueuePanel({ channelId, onDecided }: { channelId: string; onDecided?: () => void }) {
  const { t, toast } = useApp();
  const [items, setItems] = useState<Held[] | null>(null);
  const load = useCallback(() => {
    request(HeldMessagesQuery, { c: channelId })
      .then((d) => setItems(d.heldChatMessages.edges.map((e) => e.node)))
      .catch((e: Error) => toast("error", e.message));
  }, [channelId, toast]);

  useEffect(() => {
    const client = createClient({
      url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
      retryAttempts: 10,
      on: { connected: load },
    });
    const stop = subscribe(
      client,
      HeldEventsSubscription,
      { c: channelId },
      {
        next: (r) => {
          const e = r.data?.heldChatMessageEvents;
          if (e) setItems((l) => (l === null ? l : applyHeldEvent(l, e)));
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    return () => {
      stop();
      void client.dispose();
    };
  }, [channelId, load]);

  if (items === null) return null;
  return (
    <section className="panel" data-testid="held-queue">
      <h2>{t("heldTitle")}</h2>
      {items.length === 0 ? (
        <p className="muted">{t("heldEmpty")}</p>
      ) : (
        <HeldList
          channelId={channelId}
          items={items}
          onDecided={(id) => {
            setItems((l) => (l ?? []).filter((h) => h.message.id !== id));
            onDecided?.();
          }}
        />
      )}
    </section>
  );
}
