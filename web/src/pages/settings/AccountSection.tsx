import { useState, type FormEvent } from "react";
import { GqlError, request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";

const ChangeEmailMutation = graphql(`
  mutation ChangeEmail($newEmail: String!, $currentPassword: String!) {
    changeEmail(newEmail: $newEmail, currentPassword: $currentPassword) {
      id
      username
      email
      emailVerified
    }
  }
`);

const ChangeUsernameMutation = graphql(`
  mutation ChangeUsername($newUsername: String!, $currentPassword: String, $totpCode: String) {
    changeUsername(newUsername: $newUsername, currentPassword: $currentPassword, totpCode: $totpCode) {
      id
      username
      email
    }
  }
`);

const DeactivateAccountMutation = graphql(`
  mutation DeactivateAccount($currentPassword: String!, $totpCode: String) {
    deactivateAccount(currentPassword: $currentPassword, totpCode: $totpCode) {
      deactivatedAt
      deletionAt
    }
  }
`);

/** The server's message, and for a refusal with a retry time (the username cooldown), that time. */
function errorText(e: unknown, lang: string): string {
  if (e instanceof GqlError && e.code === "RATE_LIMITED" && e.retryAt) {
    return `${e.message} (${new Date(e.retryAt).toLocaleString(lang)})`;
  }
  return (e as Error).message;
}

function ChangeEmail() {
  const { t, lang, me, setMe, toast } = useApp();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const d = await request(ChangeEmailMutation, { newEmail: email.trim(), currentPassword: password });
      if (me) setMe({ ...me, email: d.changeEmail.email });
      toast("success", t("emailChanged", { email: d.changeEmail.email ?? email }));
      setEmail("");
      setPassword("");
    } catch (error) {
      toast("error", errorText(error, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel account-form" onSubmit={(e) => void submit(e)} data-testid="change-email-form">
      <h3>{t("changeEmail")}</h3>
      {me?.email && <p className="muted" data-testid="current-email">{me.email}</p>}
      <label>
        {t("newEmail")}
        <input type="email" required autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="new-email" />
      </label>
      <label>
        {t("currentPassword")}
        <input type="password" required autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="email-password" />
      </label>
      <button type="submit" disabled={busy || !email || !password} data-testid="change-email">
        {t("changeEmail")}
      </button>
    </form>
  );
}

function ChangeUsername() {
  const { t, lang, me, setMe, toast } = useApp();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      // The password, or (on an account with 2FA on) a code instead: the server decides which counts.
      const d = await request(ChangeUsernameMutation, { newUsername: username.trim(), currentPassword: password || null, totpCode: password ? null : code.trim() || null });
      if (me) setMe({ ...me, username: d.changeUsername.username });
      toast("success", t("usernameChanged", { name: d.changeUsername.username }));
      setUsername("");
      setPassword("");
      setCode("");
    } catch (error) {
      toast("error", errorText(error, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel account-form" onSubmit={(e) => void submit(e)} data-testid="change-username-form">
      <h3>{t("changeUsername")}</h3>
      <p className="muted">{t("usernameHint", { name: username.trim() || me?.username || "" })}</p>
      <label>
        {t("newUsername")}
        <input required minLength={3} maxLength={25} pattern="[A-Za-z0-9_]{3,25}" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} data-testid="new-username" />
      </label>
      <label>
        {t("currentPassword")}
        <input type="password" required={!code.trim()} autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="username-password" />
      </label>
      <label>
        {t("orTotpCode")}
        <input inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} data-testid="username-totp" />
      </label>
      <button type="submit" disabled={busy || !username.trim() || !(password || code.trim())} data-testid="change-username">
        {t("changeUsername")}
      </button>
    </form>
  );
}

function Deactivate() {
  const { t, lang, setMe, navigate, toast } = useApp();
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const deactivate = async () => {
    setBusy(true);
    try {
      const d = await request(DeactivateAccountMutation, { currentPassword: password, totpCode: code.trim() || null });
      toast("success", t("deactivated", { date: new Date(d.deactivateAccount.deletionAt).toLocaleString(lang) }));
      // Every session (this one too) is over: the app is signed out.
      setMe(null);
      navigate("/");
    } catch (error) {
      toast("error", errorText(error, lang));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="panel account-form account-danger"
      data-testid="deactivate-form"
      onSubmit={(e) => {
        e.preventDefault();
        setConfirming(true);
      }}
    >
      <h3>{t("deactivateAccount")}</h3>
      <p className="muted">{t("deactivateExplain")}</p>
      <label>
        {t("currentPassword")}
        <input type="password" required autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="deactivate-password" />
      </label>
      <label>
        {t("totpCodeOptional")}
        <input inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} data-testid="deactivate-totp" />
      </label>
      {confirming ? (
        <div className="account-confirm" role="alertdialog" aria-labelledby="deactivate-confirm-title" data-testid="deactivate-confirm-box">
          <strong id="deactivate-confirm-title">{t("deactivateConfirmTitle")}</strong>
          <p>{t("deactivateConfirmText")}</p>
          <div className="row">
            <button type="button" className="danger" disabled={busy} onClick={() => void deactivate()} data-testid="deactivate-confirm">
              {t("deactivateConfirm")}
            </button>
            <button type="button" className="ghost" disabled={busy} onClick={() => setConfirming(false)} data-testid="deactivate-cancel">
              {t("deactivateCancel")}
            </button>
          </div>
        </div>
      ) : (
        <button type="submit" className="danger" disabled={!password} data-testid="deactivate">
          {t("deactivateAccount")}
        </button>
      )}
    </form>
  );
}

/** Settings → Account: change e-mail, change username, deactivate (with a confirmation step). */
export default function AccountSection() {
  const { t } = useApp();
  return (
    <section className="account-section" data-testid="account-section">
      <h2>{t("accountSettings")}</h2>
      <ChangeEmail />
      <ChangeUsername />
      <Deactivate />
    </section>
  );
}
