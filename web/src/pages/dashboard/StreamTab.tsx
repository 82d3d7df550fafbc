import { useEffect, useState, type FormEvent } from "react";
import { request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { StudioStreamQuery } from "../../gql/graphql";
import { LiveKitIngress } from "../../components/studio/LiveKitIngress";
import { RaidPanel } from "../../components/studio/RaidPanel";
import { LiveOutput } from "../../components/studio/LiveOutput";
import { ObsGuide } from "../../components/studio/ObsGuide";
import { TagInput } from "../../components/discovery/TagInput";
import { languageName, useStreamLanguages } from "../../components/discovery/languages";

type Settings = StudioStreamQuery["streamSettings"];
type Category = StudioStreamQuery["categories"][number];

const StudioStreamQueryDocument = graphql(`
  query StudioStream {
    streamSettings {
      provider
      ingestUrl
      streamKey
      title
      category
      recordBroadcasts
      tags
      language
      mature
    }
    categories {
      slug
      name
    }
  }
`);

const RotateStreamKeyMutation = graphql(`
  mutation RotateStreamKey {
    rotateStreamKey {
      streamKey
    }
  }
`);

const UpdateStreamMutation = graphql(`
  mutation UpdateStream($input: UpdateStreamInput!) {
    updateStream(input: $input) {
      title
      category
      recordBroadcasts
      tags
      language
      mature
    }
  }
`);

/**
 * Ingest URL, stream key (hidden until revealed; copy; rotate) — or, with LiveKit, an ingress to
 * create — title and category, and how to set up OBS.
 */
export function StreamTab() {
  const { t, lang, toast } = useApp();
  const languages = useStreamLanguages();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [categories, setCategories] = useState<Category[]>([]);
  const [revealed, setRevealed] = useState(false);
  const [live, setLive] = useState(false);
  const [title, setTitle] = useState("");
  const [category, setCategory] = useState("");
  const [tags, setTags] = useState<string[]>([]);
  const [language, setLanguage] = useState("");
  const [mature, setMature] = useState(false);

  useEffect(() => {
    request(StudioStreamQueryDocument)
      .then((d) => {
        setSettings(d.streamSettings);
        setCategories(d.categories);
        setTitle(d.streamSettings.title ?? "");
        setCategory(d.streamSettings.category ?? "");
        setTags(d.streamSettings.tags);
        setLanguage(d.streamSettings.language ?? "");
        setMature(d.streamSettings.mature);
      })
      .catch((e: Error) => toast("error", e.message));
  }, [toast]);

  if (!settings) return <p className="muted">{t("loading")}</p>;

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      toast("success", t("copied"));
    } catch (e) {
      toast("error", (e as Error).message);
    }
  };

  const rotate = async () => {
    if (!confirm(t("rotateConfirm"))) return;
    try {
      const d = await request(RotateStreamKeyMutation);
      setSettings({ ...settings, streamKey: d.rotateStreamKey.streamKey });
      toast("success", t("rotated"));
    } catch (e) {
      toast("error", (e as Error).message);
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      // An empty language clears it; the tags sent replace the channel's.
      const d = await request(UpdateStreamMutation, { input: { title, category: category || null, tags, language, mature } });
      setSettings({ ...settings, ...d.updateStream });
      toast("success", t("saved"));
    } catch (err) {
      toast("error", (err as Error).message);
    }
  };

  // Saved at once: a switch, not part of the title form.
  const setRecording = async (record: boolean) => {
    try {
      const d = await request(UpdateStreamMutation, { input: { recordBroadcasts: record } });
      setSettings({ ...settings, ...d.updateStream });
      toast("success", t(record ? "recordingOn" : "recordingOff"));
    } catch (err) {
      toast("error", (err as Error).message);
    }
  };

  const key = settings.streamKey ?? "";
  return (
    <>
      {settings.provider === "LIVEKIT" ? (
        <LiveKitIngress onCopy={copy} />
      ) : (
        <section className="panel">
          <label>
            {t("ingestUrl")}
            <input readOnly value={settings.ingestUrl ?? ""} data-testid="ingest-url" />
          </label>
          <label>
            {t("streamKey")}
            <div className="row wrap">
              <input readOnly type={revealed ? "text" : "password"} value={key} data-testid="stream-key" />
              <button type="button" className="ghost" data-testid="reveal-key" onClick={() => setRevealed(!revealed)}>
                {revealed ? t("hide") : t("reveal")}
              </button>
              <button type="button" className="ghost" onClick={() => copy(key)}>
                {t("copy")}
              </button>
              <button type="button" className="danger" data-testid="rotate-key" onClick={rotate}>
                {t("rotate")}
              </button>
            </div>
          </label>
        </section>
      )}
      <form className="panel" onSubmit={save}>
        <label>
          {t("title")}
          <input data-testid="stream-title" maxLength={140} value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>
          {t("category")}
          <select data-testid="stream-category" value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">{t("noCategory")}</option>
            {categories.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("streamLanguage")}
          <select data-testid="stream-language" value={language} onChange={(e) => setLanguage(e.target.value)}>
            <option value="">{t("noCategory")}</option>
            {languages.map((l) => (
              <option key={l.code} value={l.code}>
                {languageName(l.code, lang, l.nativeName)}
              </option>
            ))}
          </select>
        </label>
        <div className="field">
          <span className="field-label">{t("tags")}</span>
          <TagInput tags={tags} onChange={setTags} />
          <small className="muted">{t("tagsHint")}</small>
        </div>
        <label className="toggle">
          <input type="checkbox" data-testid="stream-mature" checked={mature} onChange={(e) => setMature(e.target.checked)} />
          <span>
            {t("matureLabel")}
            <small className="muted">{t("matureHint")}</small>
          </span>
        </label>
        <button type="submit" data-testid="save-stream">
          {t("save")}
        </button>
      </form>
      <section className="panel">
        <label className="toggle">
          <input type="checkbox" data-testid="record-broadcasts" checked={settings.recordBroadcasts} onChange={(e) => void setRecording(e.target.checked)} />
          <span>
            {t("recordBroadcasts")}
            <small className="muted">{t("recordBroadcastsHint")}</small>
          </span>
        </label>
      </section>
      <LiveOutput onLive={setLive} />
      <RaidPanel live={live} />
      <ObsGuide ingestUrl={settings.ingestUrl ?? null} onCopy={copy} />
    </>
  );
}
