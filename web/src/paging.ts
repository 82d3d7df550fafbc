import { useCallback, useEffect, useRef, useState } from "react";

export interface Page<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** What usePaged gives: the items so far (null before the first page) and how to ask for more. */
export interface Paged<T> {
  items: T[] | null;
  hasMore: boolean;
  loading: boolean;
  loadMore: () => void;
  reload: () => void;
}

/**
 * A Relay connection read page by page ("load more"): the first page on mount (and whenever
 * fetchPage changes), the next one after the last cursor on loadMore.
 */
export function usePaged<T>(fetchPage: (after: string | null) => Promise<Page<T>>, onError: (e: Error) => void): Paged<T> {
  const [items, setItems] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const generation = useRef(0);

  const load = useCallback(
    async (after: string | null) => {
      const mine = ++generation.current;
      setLoading(true);
      try {
        const page = await fetchPage(after);
        if (mine !== generation.current) return;
        const nodes = page.edges.map((e) => e.node);
        setItems((list) => (after === null ? nodes : [...(list ?? []), ...nodes]));
        setCursor(page.pageInfo.endCursor ?? null);
        setHasMore(page.pageInfo.hasNextPage);
      } catch (e) {
        if (mine === generation.current) onError(e as Error);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [fetchPage, onError],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  return { items, hasMore, loading, loadMore: () => void load(cursor), reload: () => void load(null) };
}
