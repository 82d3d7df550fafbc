import type { TypedDocumentString } from "./gql/graphql";

export interface GqlErrorInfo {
  message: string;
  extensions?: { code?: string; field?: string; retryAt?: string; retryAfterSeconds?: number };
}

export class GqlError extends Error {
  readonly code: string;
  readonly field?: string;
  readonly retryAt?: string;

  constructor(info: GqlErrorInfo) {
    super(info.message);
    this.code = info.extensions?.code ?? "INTERNAL";
    this.field = info.extensions?.field;
    this.retryAt = info.extensions?.retryAt;
  }
}

let language = "en";

let onUnauthenticated: (() => void) | null = null;
/** Called when the API says our session is gone (revoked elsewhere, expired): the app signs out. */
export function setUnauthenticatedHandler(handler: (() => void) | null) {
  onUnauthenticated = handler;
}
export function setApiLanguage(lang: string) {
  language = lang;
}

/**
 * Runs a generated, typed operation (see src/gql/, made by `npm run codegen` from the documents
 * written with `graphql(...)`) over HTTP; the HttpOnly wg_session cookie authenticates same-origin requests.
 */
export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<TResult> {
  const response = await fetch("/graphql", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "Accept-Language": language },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  let body: { data?: TResult; errors?: GqlErrorInfo[] };
  try {
    body = await response.json();
  } catch {
    if (response.status === 401) onUnauthenticated?.();
    throw new GqlError({ message: `HTTP ${response.status}` });
  }
  if (body.errors?.length) {
    const error = new GqlError(body.errors[0]);
    if (error.code === "UNAUTHENTICATED" || response.status === 401) onUnauthenticated?.();
    throw error;
  }
  if (!body.data) throw new GqlError({ message: `HTTP ${response.status}` });
  return body.data;
}

export interface Me {
  id: string;
  username: string;
  email?: string | null;
}

