import { useState, type FormEvent } from "react";
import { GqlError, request } from "../api";
import { Link, useApp } from "../context";
import { graphql } from "../gql";
import type { AuthPayloadFieldsFragment as AuthPayload } from "../gql/graphql";

graphql(`
  fragment AuthPayloadFields on AuthPayload {
    totpRequired
    reactivated
    user {
      id
      username
      email
    }
  }
`);

// Asked once signed in: the sign-in answer is resolved before the session exists, so it cannot say.
const AuthOperatorAccessQuery = graphql(`
  query AuthOperatorAccess {
    me {
      operatorAccess
    }
  }
`);

const RegisterMutation = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      ...AuthPayloadFields
    }
  }
`);

const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      ...AuthPayloadFields
    }
  }
`);

/** Where to go after signing in (?next=/path, same site only), e.g. back to the verify-email link. */
function nextPath(): string | null {
  const next = new URLSearchParams(location.search).get("next");
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : null;
}

export function AuthPage({ mode }: { mode: "signup" | "login" }) {
  const { t, setMe, navigate, toast } = useApp();
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [totpCode, setTotpCode] = useState("");
  const [totpStep, setTotpStep] = useState(false);
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      let payload: AuthPayload;
      if (mode === "signup") {
        payload = (await request(RegisterMutation, { input: { username, email, password } })).register;
      } else {
        payload = (await request(LoginMutation, { input: { login: username, password, totpCode: totpStep ? totpCode : null } })).login;
      }
      if (payload.totpRequired) {
        setTotpStep(true);
        toast("success", t("totpNeeded"));
        return;
      }
      if (payload.user) {
        const user = payload.user;
        setMe(user);
        request(AuthOperatorAccessQuery)
          .then((d) => d.me && setMe({ ...user, operatorAccess: d.me.operatorAccess }))
          .catch(() => undefined);
        toast("success", t(payload.reactivated ? "welcomeBack" : "welcome", { name: payload.user.username }));
        navigate(nextPath() ?? `/${payload.user.username}`);
      }
    } catch (err) {
      const field = err instanceof GqlError ? err.field : undefined;
      setError({ text: (err as Error).message, field });
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel auth" onSubmit={submit} data-testid={`${mode}-form`}>
      <h1>{mode === "signup" ? t("signUp") : t("logIn")}</h1>
      {!totpStep && (
        <>
          <label>
            {mode === "signup" ? t("username") : t("loginField")}
            <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
          </label>
          {mode === "signup" && (
            <label>
              {t("email")}
              <input name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </label>
          )}
          <label>
            {t("password")}
            <input
              name="password"
              type="password"
              autoComplete={mode === "signup" ? "new-password" : "current-password"}
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
        </>
      )}
      {totpStep && (
        <label>
          {t("totpOrRecovery")}
          <input name="totpCode" inputMode="numeric" autoComplete="one-time-code" required autoFocus value={totpCode} onChange={(e) => setTotpCode(e.target.value)} />
        </label>
      )}
      {error && (
        <p className="error" role="alert" data-testid="auth-error">
          {error.field ? `${error.field}: ` : ""}
          {error.text}
        </p>
      )}
      <button type="submit" disabled={busy} data-testid="auth-submit">
        {mode === "signup" ? t("signUp") : t("logIn")}
      </button>
      {mode === "login" && !totpStep && (
        <Link to="/forgot-password" testId="forgot-password">
          {t("forgotPassword")}
        </Link>
      )}
    </form>
  );
}
