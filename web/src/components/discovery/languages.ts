import { useEffect, useState } from "react";
import { request } from "../../api";
import { graphql } from "../../gql";

const StreamLanguagesQuery = graphql(`
  query StreamLanguages {
    streamLanguages {
      code
      nativeName
    }
  }
`);

export interface StreamLanguage {
  code: string;
  nativeName: string;
}

let cached: Promise<StreamLanguage[]> | null = null;

/** The languages a channel can stream in (the server's list; asked once per page load). */
export function useStreamLanguages(): StreamLanguage[] {
  const [list, setList] = useState<StreamLanguage[]>([]);
  useEffect(() => {
    let current = true;
    if (!cached) {
      cached = request(StreamLanguagesQuery).then((d) => d.streamLanguages);
      cached.catch(() => (cached = null));
    }
    cached.then((l) => current && setList(l)).catch(() => undefined);
    return () => {
      current = false;
    };
  }, []);
  return list;
}

/** A language's name in the page's language (Intl.DisplayNames), its own name when the browser has none. */
export function languageName(code: string, uiLang: string, fallback?: string): string {
  try {
    return new Intl.DisplayNames([uiLang], { type: "language" }).of(code) ?? fallback ?? code;
  } catch {
    return fallback ?? code;
  }
}
