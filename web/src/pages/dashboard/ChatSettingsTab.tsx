import { useEffect, useState, type FormEvent } from "react";
import { request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { AutoModLevel, ChatSettingsInput } from "../../gql/graphql";
import type { Key } from "../../i18n";

const levels: { level: AutoModLevel; word: Key }[] = [
  { level: "OFF", word: "autoModOff" },
  { level: "LOW", word: "autoModLow" },
  { level: "MEDIUM", word: "autoModMedium" },
  { level: "HIGH", word: "autoModHigh" },
];

const StudioChatSettingsQuery = graphql(`
  query StudioChatSettings($c: ID!) {
    chatRoom(channelId: $c) {
      settings {
        enabled
        slowModeSeconds
        followersOnly
        followersOnlyMinutes
        emoteOnly
        sponsorsOnly
        autoModLevel
        holdLinks
      }
    }
    chatAllowedLinkDomains(channelId: $c)
  }
`);

const StudioUpdateChatSettingsMutation = graphql(`
  mutation StudioUpdateChatSettings($c: ID!, $input: ChatSettingsInput!) {
    updateChatSettings(channelId: $c, input: $input) {
      enabled
      slowModeSeconds
      followersOnly
      followersOnlyMinutes
      emoteOnly
      sponsorsOnly
      autoModLevel
      holdLinks
    }
  }
`);

const StudioSetAllowedDomainsMutation = graphql(`
  mutation StudioSetAllowedDomains($c: ID!, $d: [String!]!) {
    setChatAllowedLinkDomains(channelId: $c, domains: $d)
  }
`);

type Form = Required<{ [K in keyof ChatSettingsInput]: NonNullable<ChatSettingsInput[K]> }>;

function Toggle({ id, label, hint, checked, onChange }: { id: string; label: string; hint: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="toggle">
      <input type="checkbox" data-testid={id} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>
        {label}
        <small className="muted">{hint}</small>
      </span>
    </label>
  );
}

/** The room's modes, loaded from chatRoom and saved with updateChatSettings (the broadcaster and moderators are exempt from them). */
export function ChatSettingsTab({ channelId }: { channelId: string }) {
  const { t, toast } = useApp();
  const [form, setForm] = useState<Form | null>(null);
  const [domains, setDomains] = useState("");
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    request(StudioChatSettingsQuery, { c: channelId })
      .then((d) => {
        setForm(d.chatRoom.settings);
        setDomains(d.chatAllowedLinkDomains.join("\n"));
      })
      .catch((e: Error) => toast("error", e.message));
  }, [channelId, toast]);

  if (!form) return <p className="muted">{t("loading")}</p>;
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm({ ...form, [key]: value });

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    try {
      const d = await request(StudioUpdateChatSettingsMutation, { c: channelId, input: form });
      setForm(d.updateChatSettings);
      const list = domains.split(/[\s,]+/).filter(Boolean);
      const saved = await request(StudioSetAllowedDomainsMutation, { c: channelId, d: list });
      setDomains(saved.setChatAllowedLinkDomains.join("\n"));
      toast("success", t("chatSettingsSaved"));
    } catch (err) {
      toast("error", (err as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const number = (text: string) => (text === "" ? 0 : Math.trunc(Number(text)));
  return (
    <form className="panel" data-testid="chat-settings" onSubmit={save}>
      <h2>{t("chatSettingsTitle")}</h2>
      <p className="muted">{t("chatSettingsExempt")}</p>
      <Toggle id="cs-enabled" label={t("csEnabled")} hint={t("csEnabledHint")} checked={form.enabled} onChange={(v) => set("enabled", v)} />
      <label>
        {t("csSlowMode")}
        <input
          type="number"
          inputMode="numeric"
          min={0}
          data-testid="cs-slow"
          value={form.slowModeSeconds}
          onChange={(e) => set("slowModeSeconds", number(e.target.value))}
        />
        <small className="muted">{t("csSlowModeHint")}</small>
      </label>
      <Toggle
        id="cs-followers"
        label={t("csFollowersOnly")}
        hint={t("csFollowersOnlyHint")}
        checked={form.followersOnly}
        onChange={(v) => set("followersOnly", v)}
      />
      <label>
        {t("csFollowersMinutes")}
        <input
          type="number"
          inputMode="numeric"
          min={0}
          data-testid="cs-followers-minutes"
          value={form.followersOnlyMinutes}
          disabled={!form.followersOnly}
          onChange={(e) => set("followersOnlyMinutes", number(e.target.value))}
        />
      </label>
      <Toggle id="cs-sponsors" label={t("csSponsorsOnly")} hint={t("csSponsorsOnlyHint")} checked={form.sponsorsOnly} onChange={(v) => set("sponsorsOnly", v)} />
      <Toggle id="cs-emote" label={t("csEmoteOnly")} hint={t("csEmoteOnlyHint")} checked={form.emoteOnly} onChange={(v) => set("emoteOnly", v)} />
      <h3>{t("autoModTitle")}</h3>
      <p className="muted">{t("autoModHint")}</p>
      <label>
        {t("autoModLevel")}
        <select data-testid="cs-automod" value={form.autoModLevel} onChange={(e) => set("autoModLevel", e.target.value as AutoModLevel)}>
          {levels.map((l) => (
            <option key={l.level} value={l.level}>
              {t(l.word)}
            </option>
          ))}
        </select>
      </label>
      <Toggle id="cs-hold-links" label={t("holdLinks")} hint={t("holdLinksHint")} checked={form.holdLinks} onChange={(v) => set("holdLinks", v)} />
      <label>
        {t("allowedDomains")}
        <textarea data-testid="cs-domains" rows={3} value={domains} disabled={!form.holdLinks} onChange={(e) => setDomains(e.target.value)} />
        <small className="muted">{t("allowedDomainsHint")}</small>
      </label>
      <button type="submit" data-testid="cs-save" disabled={saving}>
        {t("save")}
      </button>
    </form>
  );
}
