import { useCallback, useEffect, useState } from "react";
import { request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { MySessionsQuery } from "../../gql/graphql";

type SessionInfo = MySessionsQuery["mySessions"][number];

const MySessionsQueryDocument = graphql(`
  query MySessions {
    mySessions {
      id
      ipAddress
      location {
        city
        country
      }
      userAgent
      lastSeenAt
      createdAt
      current
    }
  }
`);

const RevokeSessionMutation = graphql(`
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`);

const RevokeOtherSessionsMutation = graphql(`
  mutation RevokeOtherSessions {
    revokeOtherSessions
  }
`);

export function Sessions() {
  const { t, lang, toast } = useApp();
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null);

  const load = useCallback(() => {
    request(MySessionsQueryDocument)
      .then((d) => setSessions([...d.mySessions].sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt))))
      .catch((e: Error) => toast("error", e.message));
  }, [toast]);

  useEffect(load, [load]);

  const revoke = async (id: string) => {
    try {
      await request(RevokeSessionMutation, { id });
      toast("success", t("sessionRevoked"));
      load();
    } catch (e) {
      toast("error", (e as Error).message);
    }
  };

  const revokeOthers = async () => {
    try {
      const d = await request(RevokeOtherSessionsMutation);
      toast("success", t("otherSessionsRevoked", { count: String(d.revokeOtherSessions) }));
      load();
    } catch (e) {
      toast("error", (e as Error).message);
    }
  };

  if (!sessions) return <p className="muted">{t("loading")}</p>;
  const others = sessions.filter((s) => !s.current).length;
  return (
    <section className="panel" data-testid="sessions">
      <h2>{t("sessions")}</h2>
      <ul className="sessions">
        {sessions.map((s) => (
          <li key={s.id} className="session" data-testid="session" data-current={s.current}>
            <div>
              <div className="session-agent">{s.userAgent || t("unknownDevice")}</div>
              <div className="muted">
                {s.ipAddress ?? "?"} · <span data-testid="session-location">{s.location ? [s.location.city, s.location.country].filter(Boolean).join(", ") : t("locationUnknown")}</span> · {t("lastSeen")} {new Date(s.lastSeenAt).toLocaleString(lang)}
              </div>
            </div>
            <div className="spacer" />
            {s.current ? (
              <span className="badge-current" data-testid="this-device">
                {t("thisDevice")}
              </span>
            ) : (
              <button type="button" className="ghost" data-testid="revoke-session" onClick={() => void revoke(s.id)}>
                {t("revoke")}
              </button>
            )}
          </li>
        ))}
      </ul>
      <button type="button" data-testid="revoke-others" disabled={others === 0} onClick={() => void revokeOthers()}>
        {t("revokeOthers")}
      </button>
    </section>
  );
}
