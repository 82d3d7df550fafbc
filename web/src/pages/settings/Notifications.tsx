import { useCallback, useEffect, useState } from "react";
import { request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { NotificationSettingsFieldsFragment as NotificationSettings } from "../../gql/graphql";
import type { Key } from "../../i18n";

graphql(`
  fragment MediumFields on NotificationMediumSettings {
    streamStarted
    newFollower
    newSponsor
    channelVerified
    security
    mention
  }
`);

graphql(`
  fragment NotificationSettingsFields on NotificationSettings {
    inApp {
      ...MediumFields
    }
    email {
      ...MediumFields
    }
    telegram {
      ...MediumFields
    }
    telegramLinked
    telegramAvailable
  }
`);

const NotificationSettingsQuery = graphql(`
  query NotificationSettings {
    notificationSettings {
      ...NotificationSettingsFields
    }
  }
`);

const UpdateNotificationSettingsMutation = graphql(`
  mutation UpdateNotificationSettings($input: UpdateNotificationSettingsInput!) {
    updateNotificationSettings(input: $input) {
      ...NotificationSettingsFields
    }
  }
`);

const ConnectTelegramMutation = graphql(`
  mutation ConnectTelegram {
    connectTelegram {
      url
      expiresAt
    }
  }
`);

const DisconnectTelegramMutation = graphql(`
  mutation DisconnectTelegram {
    disconnectTelegram
  }
`);

type Medium = "inApp" | "email" | "telegram";
type Kind = "streamStarted" | "newFollower" | "newSponsor" | "channelVerified" | "security" | "mention";

const media: { id: Medium; label: Key }[] = [
  { id: "inApp", label: "mediumInApp" },
  { id: "email", label: "mediumEmail" },
  { id: "telegram", label: "mediumTelegram" },
];

const kinds: { id: Kind; label: Key }[] = [
  { id: "streamStarted", label: "kindStreamStarted" },
  { id: "newFollower", label: "kindNewFollower" },
  { id: "newSponsor", label: "kindNewSponsor" },
  { id: "channelVerified", label: "kindChannelVerified" },
  { id: "mention", label: "kindMention" },
  { id: "security", label: "kindSecurity" },
];

function Telegram({ settings, reload }: { settings: NotificationSettings; reload: () => Promise<NotificationSettings | null> }) {
  const { t, lang, toast } = useApp();
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const linked = settings.telegramLinked;

  // While a link is out, look every few seconds whether the chat was linked (the bot answers /start), until it expires.
  useEffect(() => {
    if (!link || linked) return undefined;
    const timer = setInterval(() => {
      if (Date.parse(link.expiresAt) < Date.now()) {
        setLink(null);
        return;
      }
      void reload().then((s) => {
        if (s?.telegramLinked) {
          setLink(null);
          toast("success", t("telegramConnected"));
        }
      });
    }, 2000);
    return () => clearInterval(timer);
  }, [link, linked, reload, t, toast]);

  const connect = async () => {
    setBusy(true);
    try {
      setLink((await request(ConnectTelegramMutation)).connectTelegram);
    } catch (err) {
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const disconnect = async () => {
    setBusy(true);
    try {
      await request(DisconnectTelegramMutation);
      await reload();
      toast("success", t("telegramDisconnected"));
    } catch (err) {
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (!settings.telegramAvailable) {
    body = (
      <p className="muted" data-testid="telegram-unavailable">
        {t("telegramUnavailable")}
      </p>
    );
  } else if (linked) {
    body = (
      <div className="row-wrap">
        <span className="pill ok" data-testid="telegram-linked">
          {t("telegramIsConnected")}
        </span>
        <button type="button" className="danger" disabled={busy} data-testid="telegram-disconnect" onClick={() => void disconnect()}>
          {t("disconnect")}
        </button>
      </div>
    );
  } else if (link) {
    body = (
      <div className="telegram-link">
        <a className="button" href={link.url} target="_blank" rel="noopener noreferrer" data-testid="telegram-link">
          {t("openTelegram")}
        </a>
        <span className="muted small">{t("telegramWaiting", { time: new Date(link.expiresAt).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" }) })}</span>
      </div>
    );
  } else {
    body = (
      <>
        <p className="muted">{t("telegramExplain")}</p>
        <button type="button" disabled={busy} data-testid="telegram-connect" onClick={() => void connect()}>
          {t("connectTelegram")}
        </button>
      </>
    );
  }

  return (
    <section className="panel" data-testid="telegram">
      <h2>Telegram</h2>
      {body}
    </section>
  );
}

export function Notifications() {
  const { t, toast } = useApp();
  const [settings, setSettings] = useState<NotificationSettings | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(
    () =>
      request(NotificationSettingsQuery)
        .then((d) => {
          setSettings(d.notificationSettings);
          return d.notificationSettings;
        })
        .catch((e: Error) => {
          toast("error", e.message);
          return null;
        }),
    [toast],
  );

  useEffect(() => {
    void reload();
  }, [reload]);

  const toggle = async (medium: Medium, kind: Kind, value: boolean) => {
    setBusy(true);
    try {
      const saved = (await request(UpdateNotificationSettingsMutation, { input: { [medium]: { [kind]: value } } })).updateNotificationSettings;
      setSettings(saved);
      toast("success", t("saved"));
    } catch (err) {
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!settings) return <p className="muted">{t("loading")}</p>;
  return (
    <>
      <section className="panel" data-testid="notification-settings">
        <h2>{t("notifyWhat")}</h2>
        <div className="table-scroll">
          <table className="notify-table">
            <thead>
              <tr>
                <th scope="col" />
                {media.map((m) => (
                  <th key={m.id} scope="col">
                    {t(m.label)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {kinds.map((k) => (
                <tr key={k.id}>
                  <th scope="row">{t(k.label)}</th>
                  {media.map((m) => {
                    // Security e-mail cannot be turned off (the server refuses it).
                    const locked = m.id === "email" && k.id === "security";
                    return (
                      <td key={m.id}>
                        <input
                          type="checkbox"
                          aria-label={`${t(k.label)}: ${t(m.label)}`}
                          data-testid={`notify-${m.id}-${k.id}`}
                          title={locked ? t("securityEmailAlwaysOn") : undefined}
                          checked={settings[m.id][k.id]}
                          disabled={busy || locked}
                          onChange={(e) => void toggle(m.id, k.id, e.target.checked)}
                        />
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted small">{t("notifyHint")}</p>
      </section>
      <Telegram settings={settings} reload={reload} />
    </>
  );
}
