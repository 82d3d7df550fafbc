import { useCallback, useEffect, useState, type FormEvent } from "react";
import { GqlError, request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import type { StudioModeratorsQuery } from "../../gql/graphql";

type Room = StudioModeratorsQuery["chatRoom"];

const StudioModeratorsQueryDocument = graphql(`
  query StudioModerators($c: ID!) {
    chatRoom(channelId: $c) {
      moderators {
        id
        username
        displayName
      }
      bans {
        userId
        until
        reason
        at
        user {
          username
          displayName
        }
      }
    }
  }
`);

// A user's id is their channel's id, so a username is resolved through the channel page query.
const StudioUserByNameQuery = graphql(`
  query StudioUserByName($u: String!) {
    channel(username: $u) {
      id
      username
    }
  }
`);

const StudioAddModeratorMutation = graphql(`
  mutation StudioAddModerator($c: ID!, $u: ID!) {
    addModerator(channelId: $c, userId: $u)
  }
`);

const StudioRemoveModeratorMutation = graphql(`
  mutation StudioRemoveModerator($c: ID!, $u: ID!) {
    removeModerator(channelId: $c, userId: $u)
  }
`);

const StudioUnbanMutation = graphql(`
  mutation StudioUnban($c: ID!, $u: ID!) {
    unbanUser(channelId: $c, userId: $u)
  }
`);

/** Moderators (add by username, remove) and the room's active bans and timeouts (lift them). */
export function ModeratorsTab({ channelId }: { channelId: string }) {
  const { t, lang, toast } = useApp();
  const [room, setRoom] = useState<Room | null>(null);
  const [username, setUsername] = useState("");
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    request(StudioModeratorsQueryDocument, { c: channelId })
      .then((d) => setRoom(d.chatRoom))
      .catch((e: Error) => toast("error", e.message));
  }, [channelId, toast]);

  useEffect(load, [load]);

  const act = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await action();
      toast("success", done);
      load();
    } catch (e) {
      toast("error", (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const name = username.trim().replace(/^@/, "");
    if (!name) return;
    await act(async () => {
      const found = (await request(StudioUserByNameQuery, { u: name })).channel;
      if (!found) throw new GqlError({ message: t("noSuchUser", { name }), extensions: { code: "NOT_FOUND" } });
      await request(StudioAddModeratorMutation, { c: channelId, u: found.id });
      setUsername("");
    }, t("moderatorAdded", { name }));
  };

  if (!room) return <p className="muted">{t("loading")}</p>;
  const when = (iso: string) => new Date(iso).toLocaleString(lang);
  return (
    <>
      <section className="panel" data-testid="moderators">
        <h2>{t("moderatorsTitle")}</h2>
        <p className="muted">{t("moderatorsHint")}</p>
        <form className="row wrap" onSubmit={add}>
          <input
            data-testid="mod-username"
            placeholder={t("username")}
            aria-label={t("username")}
            autoComplete="off"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
          <button type="submit" data-testid="mod-add" disabled={busy || !username.trim()}>
            {t("addModerator")}
          </button>
        </form>
        {room.moderators.length === 0 ? (
          <p className="muted" data-testid="no-moderators">
            {t("noModerators")}
          </p>
        ) : (
          <ul className="studio-list">
            {room.moderators.map((m) => (
              <li key={m.id} data-testid="moderator" data-username={m.username}>
                <Link to={`/${m.username}`}>{m.displayName}</Link>
                <span className="muted">@{m.username}</span>
                <span className="spacer" />
                <button
                  type="button"
                  className="danger"
                  data-testid="mod-remove"
                  disabled={busy}
                  onClick={() => act(() => request(StudioRemoveModeratorMutation, { c: channelId, u: m.id }), t("moderatorRemoved", { name: m.username }))}
                >
                  {t("remove")}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" data-testid="bans">
        <h2>{t("bansTitle")}</h2>
        {(room.bans ?? []).length === 0 ? (
          <p className="muted" data-testid="no-bans">
            {t("noBans")}
          </p>
        ) : (
          <ul className="studio-list">
            {(room.bans ?? []).map((b) => {
              const name = b.user?.username ?? b.userId;
              return (
                <li key={b.userId} data-testid="banned" data-username={b.user?.username}>
                  <span>
                    <strong>{b.user?.displayName ?? name}</strong> <span className="muted">@{name}</span>
                    <br />
                    <small className="muted">
                      {b.until ? t("timedOutUntil", { time: when(b.until) }) : t("bannedSince", { time: when(b.at) })}
                      {b.reason ? ` · ${b.reason}` : ""}
                    </small>
                  </span>
                  <span className="spacer" />
                  <button
                    type="button"
                    className="ghost"
                    data-testid="unban"
                    disabled={busy}
                    onClick={() => act(() => request(StudioUnbanMutation, { c: channelId, u: b.userId }), t("userUnbanned", { name }))}
                  >
                    {t("unban")}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </>
  );
}
