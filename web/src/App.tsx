import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useLocationPath } from "./router";
import { routePage } from "./routes";
import { request, setApiLanguage, setUnauthenticatedHandler, type Me } from "./api";
import { graphql } from "./gql";
import { AppContext, Link, type AppState, type Theme, type ToastKind } from "./context";
import { dictionaries, format, initialLang, type Key, type Lang } from "./i18n";
import { NotificationBell } from "./components/NotificationBell";
import { FollowedSidebar } from "./components/discovery/FollowedSidebar";

const MeQuery = graphql(`
  query Me {
    me {
      id
      username
      email
      operatorAccess
    }
  }
`);

const LogoutMutation = graphql(`
  mutation Logout {
    logout
  }
`);

interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

function systemTheme(): Theme {
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

function storedTheme(): Theme | null {
  const t = localStorage.getItem("wg-theme");
  return t === "light" || t === "dark" ? t : null;
}

export function App() {
  const [path, navigate] = useLocationPath();
  const [lang, setLang] = useState<Lang>(initialLang);
  const [theme, setTheme] = useState<Theme>(() => storedTheme() ?? systemTheme());
  const [me, setMe] = useState<Me | null>(null);
  const [meLoaded, setMeLoaded] = useState(false);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [menuOpen, setMenuOpen] = useState(false);
  const nextToast = useRef(1);

  setApiLanguage(lang);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // The phone menu closes when a link in it is followed (the header's onClick) or history moves.
  useEffect(() => setMenuOpen(false), [path]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    request(MeQuery)
      .then((d) => setMe(d.me ?? null))
      .catch(() => setMe(null))
      .finally(() => setMeLoaded(true));
  }, []);

  const toast = useCallback((kind: ToastKind, text: string) => {
    const id = nextToast.current++;
    setToasts((list) => [...list, { id, kind, text }]);
    setTimeout(() => setToasts((list) => list.filter((x) => x.id !== id)), kind === "error" ? 6000 : 3500);
  }, []);

  // Signed out behind our back (session revoked on another device, expired): forget the user, say so, go to /login.
  const meRef = useRef<Me | null>(null);
  meRef.current = me;
  const langRef = useRef(lang);
  langRef.current = lang;
  const lostSession = useCallback(() => {
    if (!meRef.current) return;
    meRef.current = null;
    setMe(null);
    toast("error", dictionaries[langRef.current].sessionEnded);
    navigate("/login");
  }, [navigate, toast]);

  useEffect(() => {
    setUnauthenticatedHandler(lostSession);
    return () => setUnauthenticatedHandler(null);
  }, [lostSession]);

  const checkSession = useCallback(() => {
    if (!meRef.current) return;
    request(MeQuery)
      .then((d) => {
        if (!d.me) lostSession();
      })
      .catch(() => undefined); // UNAUTHENTICATED already went to lostSession; network errors say nothing
  }, [lostSession]);

  const state: AppState = useMemo(
    () => ({
      lang,
      t: (key: Key, values?: Record<string, string>) => format(dictionaries[lang][key], values),
      me,
      setMe,
      navigate,
      toast,
      checkSession,
    }),
    [lang, me, navigate, toast, checkSession],
  );
  const { t } = state;

  const chooseLang = (l: Lang) => {
    localStorage.setItem("wg-lang", l);
    setLang(l);
  };
  const toggleTheme = () => {
    const next: Theme = theme === "dark" ? "light" : "dark";
    localStorage.setItem("wg-theme", next);
    setTheme(next);
  };
  const logout = async () => {
    try {
      await request(LogoutMutation);
      setMe(null);
      toast("success", t("signedOut"));
      navigate("/");
    } catch (e) {
      toast("error", (e as Error).message);
    }
  };

  const page = routePage(path, meLoaded, <p>{t("loading")}</p>);

  return (
    <AppContext.Provider value={state}>
      <header
        className={menuOpen ? "topbar menu-open" : "topbar"}
        onClick={(e) => (e.target as HTMLElement).closest("a") && setMenuOpen(false)}
      >
        <Link to="/" className="brand">
          WG-Stream
        </Link>
        <button
          type="button"
          className="ghost menu-toggle"
          data-testid="menu-toggle"
          aria-label={t("menu")}
          aria-expanded={menuOpen}
          onClick={() => setMenuOpen((open) => !open)}
        >
          ☰
        </button>
        <nav>
          <Link to="/">{t("home")}</Link>
          <Link to="/categories" testId="nav-categories">
            {t("categories")}
          </Link>
          {me && (
            <>
              <Link to={`/${me.username}`}>{t("myChannel")}</Link>
              <Link to="/dashboard" testId="nav-dashboard">
                {t("dashboard")}
              </Link>
              <Link to="/sponsorships" testId="nav-sponsorships">
                {t("navSponsorships")}
              </Link>
              <Link to="/settings/sessions" testId="nav-settings">
                {t("settings")}
              </Link>
              {me.operatorAccess && me.operatorAccess !== "NONE" && (
                <Link to="/admin" testId="nav-admin">
                  {t("admin")}
                </Link>
              )}
            </>
          )}
        </nav>
        <div className="spacer" />
        <select
          aria-label={t("language")}
          data-testid="lang"
          value={lang}
          onChange={(e) => chooseLang(e.target.value as Lang)}
        >
          <option value="en">English</option>
          <option value="uk">Українська</option>
        </select>
        <button type="button" data-testid="theme" className="ghost" onClick={toggleTheme} title={t("theme")}>
          {theme === "dark" ? `☀ ${t("light")}` : `☾ ${t("dark")}`}
        </button>
        {me ? (
          <>
            <NotificationBell key={me.id} />
            <span className="whoami" data-testid="whoami">
              {me.username}
            </span>
            <button type="button" className="ghost" onClick={logout}>
              {t("logOut")}
            </button>
          </>
        ) : (
          meLoaded && (
            <>
              <Link to="/login" testId="nav-login">
                {t("logIn")}
              </Link>
              <Link to="/signup" className="button" testId="nav-signup">
                {t("signUp")}
              </Link>
            </>
          )
        )}
      </header>
      <div className={me ? "layout with-sidebar" : "layout"}>
        {me && <FollowedSidebar key={me.id} />}
        <main>{page}</main>
      </div>
      <div className="toasts" aria-live="polite">
        {toasts.map((x) => (
          <div key={x.id} className={`toast ${x.kind}`} role={x.kind === "error" ? "alert" : "status"}>
            {x.text}
          </div>
        ))}
      </div>
    </AppContext.Provider>
  );
}
