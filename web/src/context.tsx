import { createContext, useContext, type ReactNode } from "react";
import type { Key, Lang } from "./i18n";
import type { Me } from "./api";

export type Theme = "light" | "dark";
export type ToastKind = "success" | "error";

export interface AppState {
  lang: Lang;
  t: (key: Key, values?: Record<string, string>) => string;
  me: Me | null;
  setMe: (me: Me | null) => void;
  navigate: (path: string) => void;
  toast: (kind: ToastKind, text: string) => void;
  /** Asks the API whether we are still signed in (after the chat connection dropped, say). */
  checkSession: () => void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error("AppContext missing");
  return state;
}

export function Link(props: { to: string; children: ReactNode; className?: string; testId?: string }) {
  const { navigate } = useApp();
  return (
    <a
      href={props.to}
      className={props.className}
      data-testid={props.testId}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
