import type { Client, Sink } from "graphql-ws";
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

/** The persisted id codegen gave the document (its text is in persisted-documents.json, which the Api loads). */
function documentId(document: { __meta__?: Record<string, unknown> }): string | undefined {
  const hash = document.__meta__?.hash;
  return typeof hash === "string" ? hash : undefined;
}

/**
 * Runs a generated, typed operation (see src/gql/, made by `npm run codegen` from the documents
 * written with `graphql(...)`) over HTTP; the HttpOnly wg_session cookie authenticates same-origin requests.
 * It sends the document's persisted id, and its text only if the server does not know the id
 * (an Api built before this client, during a rolling deploy).
 */
export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<TResult> {
  const id = documentId(document);
  try {
    return await post<TResult>(id ? { documentId: id, variables } : { query: document.toString(), variables });
  } catch (e) {
    if (id && e instanceof GqlError && e.code === "PERSISTED_QUERY_NOT_FOUND") return post<TResult>({ query: document.toString(), variables });
    throw e;
  }
}

/** A live subscription over graphql-ws by persisted id, falling back to the text like `request`. */
export function subscribe<TResult, TVariables>(
  client: Client,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  sink: Sink<{ data?: TResult | null }>,
): () => void {
  const id = documentId(document);
  const byText = () => client.subscribe({ query: document.toString(), variables: variables as Record<string, unknown> }, sink);
  if (!id) return byText();
  // The protocol has no document id; the Api takes one next to an empty query, as over HTTP.
  let stop: () => void = client.subscribe({ query: "", documentId: id, variables: variables as Record<string, unknown> } as { query: string }, {
    ...sink,
    error: (error) => {
      const errors = Array.isArray(error) ? (error as GqlErrorInfo[]) : [];
      if (errors.some((x) => x.extensions?.code === "PERSISTED_QUERY_NOT_FOUND")) stop = byText();
      else sink.error(error);
    },
  });
  return () => stop();
}

async function post<TResult>(payload: object): Promise<TResult> {
  const response = await fetch("/graphql", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "Accept-Language": language },
    body: JSON.stringify(payload),
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
  /** NONE, TWO_FACTOR_REQUIRED or GRANTED: whether the admin panel is linked and opens. */
  operatorAccess?: string;
}

