import { useCallback, useEffect, useState } from "react";

/** Values of a route's ":name" segments, decoded. */
export type RouteParams = Readonly<Record<string, string>>;

/**
 * Matches a path against a pattern of "/"-separated segments: a literal segment matches itself,
 * ":name" matches one segment (decoded into params.name), and a final "*" matches the
 * rest of the path, nothing included. Returns null when the path does not match.
 */
export function matchPath(pattern: string, path: string): RouteParams | null {
  const want = pattern.split("/").slice(1);
  const have = path.split("/").slice(1);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i];
    if (segment === "*" && i === want.length - 1) return params;
    if (i >= have.length) return null;
    if (segment.startsWith(":")) {
      params[segment.slice(1)] = decodeURIComponent(have[i]);
    } else if (segment !== have[i]) {
      return null;
    }
  }
  return want.length === have.length ? params : null;
}

/**
 * The current location's path, following pushState navigation and the browser's back/forward.
 * navigate(to) pushes `to` (which may carry a query string) and scrolls to the top.
 */
export function useLocationPath(): [string, (to: string) => void] {
  const [path, setPath] = useState(location.pathname);

  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);

  const navigate = useCallback((to: string) => {
    history.pushState(null, "", to);
    setPath(new URL(to, location.href).pathname);
    scrollTo(0, 0);
  }, []);

  return [path, navigate];
}
