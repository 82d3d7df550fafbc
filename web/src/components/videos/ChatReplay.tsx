import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { ReplayPageQuery } from "../../gql/graphql";
import { ChatLine } from "../chat/Chat";

const ReplayQuery = graphql(`
  query ReplayPage($id: ID!, $from: Float, $after: String) {
    video(id: $id) {
      chat(fromSeconds: $from, after: $after, first: 25) {
        edges {
          cursor
          offsetSeconds
          node {
            ...ChatLine
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

type Edge = NonNullable<ReplayPageQuery["video"]>["chat"]["edges"][number];

/** Messages kept before the playback position, so a long broadcast's replay does not grow without end. */
const Shown = 150;
/** On a seek, the minute before the new position is loaded too, so the chat reads as it did then. */
const Context = 60;
/** The next page is fetched when the playback comes this close to the last message loaded. */
const Ahead = 20;

interface Loaded {
  from: number;
  cursor: string | null;
  more: boolean;
  generation: number;
  loading: boolean;
}

/**
 * A past broadcast's chat in step with its playback: the messages sent up to `position` (seconds
 * into the recording). Pages of messages are loaded ahead of the position; a seek outside what is
 * loaded starts again from there.
 */
export function ChatReplay({ videoId, position }: { videoId: string; position: number | null }) {
  const { t, toast } = useApp();
  const [edges, setEdges] = useState<Edge[]>([]);
  const loaded = useRef<Loaded>({ from: -1, cursor: null, more: false, generation: 0, loading: false });
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (position === null) return;
    const state = loaded.current;
    const last = edges.length > 0 ? edges[edges.length - 1].offsetSeconds : state.from;
    const reset = state.from < 0 || position < state.from || (state.more && position > last + Context);
    const next = !reset && state.more && !state.loading && last - position < Ahead;
    if (!reset && !next) return;
    const generation = reset ? ++state.generation : state.generation;
    const from = reset ? Math.max(0, position - Context) : state.from;
    state.loading = true;
    if (reset) {
      state.from = from;
      state.cursor = null;
      state.more = false;
    }
    request(ReplayQuery, { id: videoId, from, after: reset ? null : state.cursor })
      .then((data) => {
        if (generation !== state.generation || !data.video) return;
        const page = data.video.chat;
        state.cursor = page.pageInfo.endCursor ?? state.cursor;
        state.more = page.pageInfo.hasNextPage;
        setEdges((current) => (reset ? page.edges : [...current, ...page.edges]));
      })
      .catch((e: Error) => toast("error", e.message))
      .finally(() => {
        if (generation === state.generation) state.loading = false;
      });
  }, [videoId, position, edges, toast]);

  const upTo = position ?? 0;
  const visible = edges.filter((e) => e.offsetSeconds <= upTo).slice(-Shown);
  const newest = visible.length > 0 ? visible[visible.length - 1].node.id : null;

  // Keep the newest message in view, as the live chat does.
  useLayoutEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [newest]);

  return (
    <aside className="chat" data-testid="chat-replay" data-shown={visible.length} data-loaded={edges.length} data-position={position ?? ""}>
      <h2>{t("chatReplay")}</h2>
      <ul className="chat-list" ref={list}>
        {visible.map((e) => (
          <ChatLine key={e.cursor} m={e.node} mod={null} />
        ))}
      </ul>
      {visible.length === 0 && <p className="muted">{t("noReplayYet")}</p>}
    </aside>
  );
}
