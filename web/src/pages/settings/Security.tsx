import { useCallback, useEffect, useState, type FormEvent } from "react";
import QRCode from "qrcode";
import { request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { SecurityMeQuery } from "../../gql/graphql";

const SecurityMeQueryDocument = graphql(`
  query SecurityMe {
    me {
      id
      email
      emailVerified
      totpEnabled
    }
  }
`);

const EnableTotpMutation = graphql(`
  mutation EnableTotp($currentPassword: String!) {
    enableTotp(currentPassword: $currentPassword) {
      secret
      otpauthUri
    }
  }
`);

const ConfirmTotpMutation = graphql(`
  mutation ConfirmTotp($code: String!) {
    confirmTotp(code: $code)
  }
`);

const DisableTotpMutation = graphql(`
  mutation DisableTotp($code: String!) {
    disableTotp(code: $code)
  }
`);

const ChangePasswordMutation = graphql(`
  mutation ChangePassword($current: String!, $next: String!) {
    changePassword(currentPassword: $current, newPassword: $next)
  }
`);

const ResendVerificationMutation = graphql(`
  mutation ResendVerificationEmail {
    resendVerificationEmail
  }
`);

export const VerifyEmailMutation = graphql(`
  mutation VerifyEmail($code: String!) {
    verifyEmail(code: $code) {
      id
      emailVerified
    }
  }
`);

type SecurityMe = NonNullable<SecurityMeQuery["me"]>;

/** The secret in groups of four, as authenticator apps show it for typing. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

function EmailSection({ me, onVerified }: { me: SecurityMe; onVerified: () => void }) {
  const { t, toast } = useApp();
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);

  const verify = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await request(VerifyEmailMutation, { code: code.trim() });
      toast("success", t("emailVerifiedNow"));
      onVerified();
    } catch (err) {
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const resend = async () => {
    setBusy(true);
    try {
      await request(ResendVerificationMutation);
      toast("success", t("verificationSent", { email: me.email ?? "" }));
    } catch (err) {
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" data-testid="email-section">
      <h2>{t("email")}</h2>
      <p>
        <span data-testid="my-email">{me.email}</span>{" "}
        {me.emailVerified ? (
          <span className="pill ok" data-testid="email-verified">
            {t("verifiedAddress")}
          </span>
        ) : (
          <span className="pill warn" data-testid="email-unverified">
            {t("unverifiedAddress")}
          </span>
        )}
      </p>
      {!me.emailVerified && (
        <>
          <form className="row-wrap" onSubmit={verify}>
            <input
              aria-label={t("verificationCode")}
              placeholder={t("verificationCode")}
              inputMode="numeric"
              autoComplete="one-time-code"
              data-testid="verify-code"
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <button type="submit" disabled={busy} data-testid="verify-submit">
              {t("verify")}
            </button>
          </form>
          <button type="button" className="ghost" disabled={busy} data-testid="resend-verification" onClick={() => void resend()}>
            {t("resendVerification")}
          </button>
        </>
      )}
    </section>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t, toast } = useApp();
  const text = `${t("recoveryFileHeader")}\n\n${codes.join("\n")}\n`;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      toast("success", t("copied"));
    } catch {
      toast("error", t("copyFailed"));
    }
  };

  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "wg-stream-recovery-codes.txt";
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div className="recovery" data-testid="recovery">
      <p className="notice">{t("recoveryCodesOnce")}</p>
      <ol className="recovery-codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c} data-testid="recovery-code">
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="row-wrap">
        <button type="button" className="ghost" data-testid="recovery-copy" onClick={() => void copy()}>
          {t("copy")}
        </button>
        <button type="button" className="ghost" data-testid="recovery-download" onClick={download}>
          {t("download")}
        </button>
        <button type="button" data-testid="recovery-done" onClick={onDone}>
          {t("recoverySaved")}
        </button>
      </div>
    </div>
  );
}

function TwoFactor({ me, onChanged }: { me: SecurityMe; onChanged: () => void }) {
  const { t, toast } = useApp();
  const [setup, setSetup] = useState<{ secret: string; otpauthUri: string; qr: string | null } | null>(null);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);

  const begin = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      // The password first: a session left signed in must not be enough to tie 2FA to someone else's phone.
      const { secret, otpauthUri } = (await request(EnableTotpMutation, { currentPassword: password })).enableTotp;
      setPassword("");
      // Drawn here from the URI: the secret never leaves the browser for a QR service.
      let qr: string | null = null;
      try {
        qr = await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: "M", margin: 2, width: 220 });
      } catch {
        qr = null;
      }
      setSetup({ secret, otpauthUri, qr });
      setCode("");
    } catch (err) {
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const codes = (await request(ConfirmTotpMutation, { code: code.replace(/\s/g, "") })).confirmTotp;
      setSetup(null);
      setCode("");
      setRecovery(codes);
      toast("success", t("totpOn"));
    } catch (err) {
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const disable = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await request(DisableTotpMutation, { code: code.trim() });
      setCode("");
      toast("success", t("totpOff"));
      onChanged();
    } catch (err) {
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (recovery) {
    body = (
      <RecoveryCodes
        codes={recovery}
        onDone={() => {
          setRecovery(null);
          onChanged();
        }}
      />
    );
  } else if (me.totpEnabled) {
    body = (
      <>
        <p>
          <span className="pill ok" data-testid="totp-enabled">
            {t("totpIsOn")}
          </span>
        </p>
        <form className="row-wrap" onSubmit={disable}>
          <input
            aria-label={t("totpOrRecovery")}
            placeholder={t("totpOrRecovery")}
            autoComplete="one-time-code"
            data-testid="totp-disable-code"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <button type="submit" className="danger" disabled={busy} data-testid="totp-disable">
            {t("disableTotp")}
          </button>
        </form>
      </>
    );
  } else if (setup) {
    body = (
      <div className="totp-setup" data-testid="totp-setup">
        <ol className="steps">
          <li>{t("totpStepScan")}</li>
          <li>{t("totpStepConfirm")}</li>
        </ol>
        <div className="totp-grid">
          {setup.qr ? <img className="qr" src={setup.qr} alt={t("totpQrAlt")} width={220} height={220} data-testid="totp-qr" /> : <p className="error">{t("qrFailed")}</p>}
          <div className="totp-manual">
            <span className="muted">{t("totpManual")}</span>
            <code className="secret" data-testid="totp-secret">
              {grouped(setup.secret)}
            </code>
            <a href={setup.otpauthUri} className="muted small">
              {t("openInAuthenticator")}
            </a>
          </div>
        </div>
        <form className="row-wrap" onSubmit={confirm}>
          <input
            aria-label={t("totpCode")}
            placeholder="123456"
            inputMode="numeric"
            autoComplete="one-time-code"
            data-testid="totp-confirm-code"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <button type="submit" disabled={busy} data-testid="totp-confirm">
            {t("confirm")}
          </button>
          <button type="button" className="ghost" disabled={busy} onClick={() => setSetup(null)}>
            {t("cancel")}
          </button>
        </form>
      </div>
    );
  } else {
    body = (
      <>
        <p className="muted">{t("totpExplain")}</p>
        <form className="row-wrap" onSubmit={(e) => void begin(e)}>
          <input
            type="password"
            aria-label={t("currentPassword")}
            placeholder={t("currentPassword")}
            autoComplete="current-password"
            data-testid="totp-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <button type="submit" disabled={busy || !password} data-testid="totp-begin">
            {t("setUpTotp")}
          </button>
        </form>
      </>
    );
  }

  return (
    <section className="panel" data-testid="totp-section">
      <h2>{t("twoFactor")}</h2>
      {body}
    </section>
  );
}

function ChangePassword() {
  const { t, toast } = useApp();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (next !== repeat) {
      setError(t("passwordsDiffer"));
      return;
    }
    setBusy(true);
    try {
      await request(ChangePasswordMutation, { current, next });
      setCurrent("");
      setNext("");
      setRepeat("");
      toast("success", t("passwordChanged"));
    } catch (err) {
      setError((err as Error).message);
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" onSubmit={submit} data-testid="change-password">
      <h2>{t("changePassword")}</h2>
      <label>
        {t("currentPassword")}
        <input type="password" name="current-password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
      </label>
      <label>
        {t("newPassword")}
        <input type="password" name="new-password" autoComplete="new-password" required value={next} onChange={(e) => setNext(e.target.value)} />
      </label>
      <label>
        {t("repeatPassword")}
        <input type="password" name="repeat-password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} />
      </label>
      <span className="muted small">{t("passwordRules")}</span>
      {error && (
        <p className="error" role="alert" data-testid="password-error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy} data-testid="change-password-submit">
        {t("changePassword")}
      </button>
    </form>
  );
}

export function Security() {
  const { t, toast } = useApp();
  const [me, setMe] = useState<SecurityMe | null>(null);

  const load = useCallback(() => {
    request(SecurityMeQueryDocument)
      .then((d) => setMe(d.me ?? null))
      .catch((e: Error) => toast("error", e.message));
  }, [toast]);

  useEffect(load, [load]);

  if (!me) return <p className="muted">{t("loading")}</p>;
  return (
    <>
      <TwoFactor me={me} onChanged={load} />
      <ChangePassword />
      <EmailSection me={me} onVerified={load} />
    </>
  );
}
