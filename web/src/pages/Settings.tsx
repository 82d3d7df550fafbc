import { useCallback, useEffect, useState } from "react";
import { request } from "../api";
import { Link, useApp } from "../context";
import { graphql } from "../gql";
import type { MySessionsQuery } from "../gql/graphql";

type SessionInfo = MySessionsQuery["mySessions"][number];

const MySessionsQueryDocument = graphql(`
  query MySessions {
    mySessions {
      id
      ipAddress
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

const MyAvatarQuery = graphql(`
  query MyAvatar($u: String!) {
    channel(username: $u) {
      avatarUrl
    }
  }
`);

function Sessions() {
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
                {s.ipAddress ?? "?"} · {t("lastSeen")} {new Date(s.lastSeenAt).toLocaleString(lang)}
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

function Profile() {
  const { t, me, toast } = useApp();
  const [avatar, setAvatar] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!me) return;
    request(MyAvatarQuery, { u: me.username })
      .then((d) => setAvatar(d.channel?.avatarUrl ?? null))
      .catch(() => undefined);
  }, [me]);

  // The preview is an object URL for the chosen file; release it when the choice changes.
  useEffect(() => {
    if (!file) {
      setPreview(null);
      return undefined;
    }
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    try {
      const form = new FormData();
      form.append("file", file);
      const response = await fetch("/media/avatar", { method: "POST", body: form, credentials: "same-origin" });
      const body = (await response.json().catch(() => ({}))) as { urls?: Record<string, string>; message?: string };
      if (!response.ok || !body.urls) throw new Error(body.message ?? `HTTP ${response.status}`);
      const urls = Object.entries(body.urls);
      const large = urls.find(([variant]) => !/small|70/i.test(variant)) ?? urls[0];
      setAvatar(large ? large[1] : null);
      setFile(null);
      toast("success", t("avatarSaved"));
    } catch (e) {
      toast("error", (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const shown = preview ?? avatar;
  return (
    <section className="panel" data-testid="profile">
      <h2>{t("avatar")}</h2>
      <div className="avatar-edit">
        {shown ? (
          <img className="avatar big" src={shown} alt="" data-testid="avatar-preview" />
        ) : (
          <span className="avatar big placeholder">{me?.username[0]}</span>
        )}
        <input
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          data-testid="avatar-file"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <button type="button" data-testid="avatar-upload" disabled={!file || busy} onClick={() => void upload()}>
          {t("upload")}
        </button>
      </div>
    </section>
  );
}

export function Settings({ tab }: { tab: "sessions" | "profile" }) {
  const { t, me } = useApp();
  if (!me) return <p data-testid="must-sign-in">{t("mustSignInSettings")}</p>;
  return (
    <div className="settings">
      <h1>{t("settings")}</h1>
      <nav className="tabs">
        <Link to="/settings/profile" className={tab === "profile" ? "active" : ""} testId="tab-profile">
          {t("profile")}
        </Link>
        <Link to="/settings/sessions" className={tab === "sessions" ? "active" : ""} testId="tab-sessions">
          {t("sessions")}
        </Link>
      </nav>
      {tab === "profile" ? <Profile /> : <Sessions />}
    </div>
  );
}
