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

/** GraphQL over HTTP; the HttpOnly wg_session cookie authenticates same-origin requests. */
export async function gql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch("/graphql", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "Accept-Language": language },
    body: JSON.stringify({ query, variables }),
  });
  let body: { data?: T; errors?: GqlErrorInfo[] };
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
  email: string;
}

export interface DirectoryChannel {
  username: string;
  displayName: string;
  avatarUrl: string | null;
  isLive: boolean;
  viewerCount: number;
  streamTitle: string | null;
  categorySlug: string | null;
}

export interface Fragment {
  kind: "Text" | "Emoji" | "Emote";
  text: string;
  imageUrl: string | null;
}

export interface ChatMessage {
  id: string;
  seq: number;
  senderId: string;
  username: string;
  color: string;
  badges: string[];
  sentAt: string;
  text: string;
  fragments: Fragment[];
}

export interface SessionInfo {
  id: string;
  ipAddress: string | null;
  userAgent: string | null;
  lastSeenAt: string;
  createdAt: string;
  current: boolean;
}
