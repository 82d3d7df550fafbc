import { useEffect, useState, type FormEvent } from "react";
import { GqlError, request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { SettingsChannelFragment, SocialLinkFieldsFragment } from "../../gql/graphql";
import { ImageUpload } from "../../components/ImageUpload";

graphql(`
  fragment SocialLinkFields on SocialLink {
    id
    title
    url
  }
`);

graphql(`
  fragment SettingsChannel on Channel {
    id
    username
    displayName
    bio
    avatarUrl
    bannerUrl
    socialLinks {
      ...SocialLinkFields
    }
  }
`);

const SettingsChannelQuery = graphql(`
  query SettingsChannel($u: String!) {
    channel(username: $u) {
      ...SettingsChannel
    }
    me {
      id
      chatColor
    }
  }
`);

const UpdateChannelMutation = graphql(`
  mutation UpdateChannel($input: UpdateChannelInput!) {
    updateChannel(input: $input) {
      ...SettingsChannel
    }
  }
`);

const AddSocialLinkMutation = graphql(`
  mutation AddSocialLink($title: String!, $url: String!) {
    addSocialLink(title: $title, url: $url) {
      id
      socialLinks {
        ...SocialLinkFields
      }
    }
  }
`);

const UpdateSocialLinkMutation = graphql(`
  mutation UpdateSocialLink($id: ID!, $title: String!, $url: String!) {
    updateSocialLink(id: $id, title: $title, url: $url) {
      id
      socialLinks {
        ...SocialLinkFields
      }
    }
  }
`);

const RemoveSocialLinkMutation = graphql(`
  mutation RemoveSocialLink($id: ID!) {
    removeSocialLink(id: $id) {
      id
      socialLinks {
        ...SocialLinkFields
      }
    }
  }
`);

const ReorderSocialLinksMutation = graphql(`
  mutation ReorderSocialLinks($ids: [ID!]!) {
    reorderSocialLinks(ids: $ids) {
      id
      socialLinks {
        ...SocialLinkFields
      }
    }
  }
`);

const UpdateChatColorMutation = graphql(`
  mutation UpdateChatColor($color: String!) {
    updateChatColor(color: $color)
  }
`);

type Link = SocialLinkFieldsFragment;

/** A failed mutation: its message, and the input it names (extensions.field) when there is one. */
interface FieldError {
  text: string;
  field?: string;
}

function asFieldError(e: unknown): FieldError {
  return { text: (e as Error).message, field: e instanceof GqlError ? e.field : undefined };
}

function ProfileText({ channel, onSaved }: { channel: SettingsChannelFragment; onSaved: (c: SettingsChannelFragment) => void }) {
  const { t, toast } = useApp();
  const [displayName, setDisplayName] = useState(channel.displayName);
  const [bio, setBio] = useState(channel.bio);
  const [error, setError] = useState<FieldError | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = (await request(UpdateChannelMutation, { input: { displayName, bio } })).updateChannel;
      setDisplayName(saved.displayName);
      setBio(saved.bio);
      onSaved(saved);
      toast("success", t("profileSaved"));
    } catch (err) {
      setError(asFieldError(err));
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" onSubmit={save} data-testid="profile-text">
      <h2>{t("profileText")}</h2>
      <label>
        {t("displayName")}
        <input data-testid="display-name" maxLength={40} value={displayName} aria-invalid={error?.field === "displayName"} onChange={(e) => setDisplayName(e.target.value)} />
      </label>
      <label>
        {t("bio")}
        <textarea data-testid="bio-input" rows={4} maxLength={300} value={bio} aria-invalid={error?.field === "bio"} onChange={(e) => setBio(e.target.value)} />
        <span className="muted small">{bio.length}/300</span>
      </label>
      {error && (
        <p className="error" role="alert" data-testid="profile-error">
          {error.text}
        </p>
      )}
      <button type="submit" data-testid="save-profile" disabled={busy}>
        {t("save")}
      </button>
    </form>
  );
}

interface LinkRowProps {
  link: Link;
  first: boolean;
  last: boolean;
  busy: boolean;
  onMove: (by: -1 | 1) => void;
  onSave: (title: string, url: string) => void;
  onRemove: () => void;
}

function LinkRow({ link, first, last, busy, onMove, onSave, onRemove }: LinkRowProps) {
  const { t } = useApp();
  const [title, setTitle] = useState(link.title);
  const [url, setUrl] = useState(link.url);
  useEffect(() => {
    setTitle(link.title);
    setUrl(link.url);
  }, [link.title, link.url]);
  const changed = title !== link.title || url !== link.url;

  return (
    <li className="link-row" data-testid="social-link" data-id={link.id}>
      <input aria-label={t("linkTitle")} data-testid="link-title" value={title} maxLength={50} onChange={(e) => setTitle(e.target.value)} />
      <input aria-label={t("linkUrl")} data-testid="link-url" value={url} onChange={(e) => setUrl(e.target.value)} />
      <div className="link-actions">
        <button type="button" className="ghost" title={t("moveUp")} aria-label={t("moveUp")} data-testid="link-up" disabled={busy || first} onClick={() => onMove(-1)}>
          ↑
        </button>
        <button type="button" className="ghost" title={t("moveDown")} aria-label={t("moveDown")} data-testid="link-down" disabled={busy || last} onClick={() => onMove(1)}>
          ↓
        </button>
        <button type="button" data-testid="link-save" disabled={busy || !changed} onClick={() => onSave(title, url)}>
          {t("save")}
        </button>
        <button type="button" className="danger" data-testid="link-remove" disabled={busy} onClick={onRemove}>
          {t("remove")}
        </button>
      </div>
    </li>
  );
}

const MaxLinks = 10;

function SocialLinks({ initial }: { initial: Link[] }) {
  const { t, toast } = useApp();
  const [links, setLinks] = useState<Link[]>(initial);
  const [title, setTitle] = useState("");
  const [url, setUrl] = useState("");
  const [error, setError] = useState<FieldError | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<Link[]>, done: "linkAdded" | "linkSaved" | "linkRemoved" | "linksReordered"): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      setLinks(await action());
      toast("success", t(done));
      return true;
    } catch (err) {
      setError(asFieldError(err));
      toast("error", (err as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const move = (index: number, by: -1 | 1) => {
    const ids = links.map((l) => l.id);
    [ids[index], ids[index + by]] = [ids[index + by], ids[index]];
    void run(async () => (await request(ReorderSocialLinksMutation, { ids })).reorderSocialLinks.socialLinks, "linksReordered");
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(async () => (await request(AddSocialLinkMutation, { title, url })).addSocialLink.socialLinks, "linkAdded")) {
      setTitle("");
      setUrl("");
    }
  };

  return (
    <section className="panel" data-testid="social-links">
      <h2>{t("socialLinks")}</h2>
      {links.length === 0 && <p className="muted">{t("noLinks")}</p>}
      <ul className="link-list">
        {links.map((link, i) => (
          <LinkRow
            key={link.id}
            link={link}
            first={i === 0}
            last={i === links.length - 1}
            busy={busy}
            onMove={(by) => move(i, by)}
            onSave={(title, url) => void run(async () => (await request(UpdateSocialLinkMutation, { id: link.id, title, url })).updateSocialLink.socialLinks, "linkSaved")}
            onRemove={() => void run(async () => (await request(RemoveSocialLinkMutation, { id: link.id })).removeSocialLink.socialLinks, "linkRemoved")}
          />
        ))}
      </ul>
      <form className="link-row add" onSubmit={add}>
        <input aria-label={t("linkTitle")} placeholder={t("linkTitle")} data-testid="new-link-title" required maxLength={50} value={title} onChange={(e) => setTitle(e.target.value)} />
        <input aria-label={t("linkUrl")} placeholder="https://…" data-testid="new-link-url" required value={url} onChange={(e) => setUrl(e.target.value)} />
        <div className="link-actions">
          <button type="submit" data-testid="add-link" disabled={busy || links.length >= MaxLinks}>
            {t("addLink")}
          </button>
        </div>
      </form>
      {links.length >= MaxLinks && <p className="muted small">{t("linksFull", { max: String(MaxLinks) })}</p>}
      {error && (
        <p className="error" role="alert" data-testid="links-error">
          {error.text}
        </p>
      )}
    </section>
  );
}

/** The named colours the server accepts besides #rrggbb (ChatColors.Palette). */
const palette = ["red", "blue", "green", "firebrick", "coral", "yellowgreen", "orangered", "seagreen", "goldenrod", "chocolate", "cadetblue", "dodgerblue", "hotpink", "blueviolet", "springgreen"];

function ChatColor({ initial, username }: { initial: string; username: string }) {
  const { t, toast } = useApp();
  const [stored, setStored] = useState(initial);
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const color = (await request(UpdateChatColorMutation, { color: value })).updateChatColor;
      setStored(color);
      setValue(color);
      toast("success", t("chatColorSaved"));
    } catch (err) {
      setError((err as Error).message);
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" onSubmit={save} data-testid="chat-color">
      <h2>{t("chatColor")}</h2>
      <p className="chat-color-sample">
        <span className="nick" style={{ color: stored }} data-testid="chat-color-sample">
          {username}
        </span>
        : {t("chatColorSample")} <code data-testid="chat-color-value">{stored}</code>
      </p>
      <div className="row-wrap">
        <input type="color" aria-label={t("chatColor")} value={/^#[0-9a-f]{6}$/i.test(value) ? value.toLowerCase() : stored.toLowerCase()} onChange={(e) => setValue(e.target.value)} />
        <input list="chat-palette" aria-label={t("chatColorName")} data-testid="chat-color-input" value={value} onChange={(e) => setValue(e.target.value)} />
        <datalist id="chat-palette">
          {palette.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
        <button type="submit" data-testid="save-chat-color" disabled={busy || value === stored}>
          {t("save")}
        </button>
      </div>
      <span className="muted small">{t("chatColorHint")}</span>
      {error && (
        <p className="error" role="alert" data-testid="chat-color-error">
          {error}
        </p>
      )}
    </form>
  );
}

export function Profile() {
  const { t, me, toast } = useApp();
  const [channel, setChannel] = useState<SettingsChannelFragment | null>(null);
  const [chatColor, setChatColor] = useState<string | null>(null);

  useEffect(() => {
    if (!me) return;
    request(SettingsChannelQuery, { u: me.username })
      .then((d) => {
        setChannel(d.channel ?? null);
        setChatColor(d.me?.chatColor ?? null);
      })
      .catch((e: Error) => toast("error", e.message));
  }, [me, toast]);

  if (!me || !channel) return <p className="muted">{t("loading")}</p>;
  return (
    <>
      <section className="panel" data-testid="profile">
        <h2>{t("images")}</h2>
        <h3>{t("avatar")}</h3>
        <ImageUpload kind="avatar" current={channel.avatarUrl ?? null} fallback={channel.displayName[0] ?? "?"} onChange={(url) => setChannel({ ...channel, avatarUrl: url })} />
        <h3>{t("banner")}</h3>
        <ImageUpload kind="banner" current={channel.bannerUrl ?? null} fallback="" onChange={(url) => setChannel({ ...channel, bannerUrl: url })} />
      </section>
      <ProfileText channel={channel} onSaved={(c) => setChannel({ ...channel, displayName: c.displayName, bio: c.bio })} />
      <SocialLinks initial={channel.socialLinks} />
      {chatColor && <ChatColor initial={chatColor} username={me.username} />}
    </>
  );
}
