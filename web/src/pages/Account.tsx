import { useState, type FormEvent } from "react";
import { request } from "../api";
import { Link, useApp } from "../context";
import { graphql } from "../gql";
import { VerifyEmailMutation } from "./settings/Security";

// The pages the account e-mails link to: {PublicBaseUrl}/verify-email?code=… and
// {PublicBaseUrl}/reset-password?token=…, plus /forgot-password, which sends the latter.

const RequestPasswordResetMutation = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email)
  }
`);

const ResetPasswordMutation = graphql(`
  mutation ResetPassword($token: String!, $password: String!) {
    resetPassword(token: $token, newPassword: $password)
  }
`);

function queryParam(name: string): string {
  return new URLSearchParams(location.search).get(name) ?? "";
}

export function VerifyEmailPage() {
  const { t, me, toast } = useApp();
  const [code, setCode] = useState(() => queryParam("code"));
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await request(VerifyEmailMutation, { code: code.trim() });
      setDone(true);
      toast("success", t("emailVerifiedNow"));
    } catch (err) {
      setError((err as Error).message);
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!me) {
    const here = `${location.pathname}${location.search}`;
    return (
      <section className="panel auth" data-testid="verify-email">
        <h1>{t("verifyEmailTitle")}</h1>
        <p>{t("verifyEmailSignIn")}</p>
        <Link to={`/login?next=${encodeURIComponent(here)}`} className="button" testId="verify-login">
          {t("logIn")}
        </Link>
      </section>
    );
  }

  return (
    <form className="panel auth" onSubmit={submit} data-testid="verify-email">
      <h1>{t("verifyEmailTitle")}</h1>
      {done ? (
        <>
          <p data-testid="verify-done">{t("emailVerifiedNow")}</p>
          <Link to="/settings/security">{t("toSecuritySettings")}</Link>
        </>
      ) : (
        <>
          <label>
            {t("verificationCode")}
            <input name="code" inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
          </label>
          {error && (
            <p className="error" role="alert" data-testid="verify-error">
              {error}
            </p>
          )}
          <button type="submit" disabled={busy} data-testid="verify-submit">
            {t("verify")}
          </button>
        </>
      )}
    </form>
  );
}

export function ForgotPasswordPage() {
  const { t, toast } = useApp();
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await request(RequestPasswordResetMutation, { email });
      setSent(true);
    } catch (err) {
      setError((err as Error).message);
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel auth" onSubmit={submit} data-testid="forgot-form">
      <h1>{t("forgotTitle")}</h1>
      {sent ? (
        <p data-testid="forgot-sent">{t("resetSent", { email })}</p>
      ) : (
        <>
          <p className="muted">{t("forgotExplain")}</p>
          <label>
            {t("email")}
            <input name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" disabled={busy} data-testid="forgot-submit">
            {t("sendResetLink")}
          </button>
        </>
      )}
      <Link to="/login">{t("backToLogin")}</Link>
    </form>
  );
}

export function ResetPasswordPage() {
  const { t, me, navigate, toast, checkSession } = useApp();
  const [token] = useState(() => queryParam("token"));
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (password !== repeat) {
      setError(t("passwordsDiffer"));
      return;
    }
    setBusy(true);
    try {
      await request(ResetPasswordMutation, { token, password });
      // Every session of the account is signed out: this browser's too, if it was signed in as that account.
      if (me) checkSession();
      toast("success", t("passwordResetDone"));
      navigate("/login");
    } catch (err) {
      setError((err as Error).message);
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!token) {
    return (
      <section className="panel auth" data-testid="reset-form">
        <h1>{t("resetTitle")}</h1>
        <p className="error">{t("resetNoToken")}</p>
        <Link to="/forgot-password">{t("forgotTitle")}</Link>
      </section>
    );
  }

  return (
    <form className="panel auth" onSubmit={submit} data-testid="reset-form">
      <h1>{t("resetTitle")}</h1>
      <label>
        {t("newPassword")}
        <input name="new-password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <label>
        {t("repeatPassword")}
        <input name="repeat-password" type="password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} />
      </label>
      <span className="muted small">{t("passwordRules")}</span>
      {error && (
        <p className="error" role="alert" data-testid="reset-error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy} data-testid="reset-submit">
        {t("setNewPassword")}
      </button>
    </form>
  );
}
