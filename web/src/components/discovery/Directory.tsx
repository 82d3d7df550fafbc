import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import { TagChips } from "./TagChips";
import type { CategoryInfoFragment as Category, DirectoryChannelFragment as DirectoryChannel } from "../../gql/graphql";

export type { Category, DirectoryChannel };

graphql(`
  fragment DirectoryChannel on ChannelSummary {
    id
    username
    displayName
    avatarUrl
    isLive
    viewerCount
    streamTitle
    categorySlug
    thumbnailUrl
    tags
    language
    mature
  }
`);

graphql(`
  fragment CategoryInfo on Category {
    slug
    name
    liveChannelCount
    viewerCount
  }
`);

const CategoriesQuery = graphql(`
  query Categories {
    categories {
      ...CategoryInfo
    }
  }
`);

/** Cards per page of the directory lists (a multiple of 2, 3 and 4 columns). */
export const PAGE_SIZE = 24;

export interface ChannelPage {
  nodes: DirectoryChannel[];
  hasNextPage: boolean;
  endCursor: string | null | undefined;
}

/** A Relay connection of channel summaries, flattened. */
export function toPage(connection: { edges: { node: DirectoryChannel }[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } }): ChannelPage {
  return { nodes: connection.edges.map((e) => e.node), hasNextPage: connection.pageInfo.hasNextPage, endCursor: connection.pageInfo.endCursor };
}

export interface PagedChannels {
  items: DirectoryChannel[] | null;
  hasMore: boolean;
  loading: boolean;
  failed: boolean;
  loadMore: () => void;
}

/**
 * Keyset-paged channels: the first page when `fetchPage` changes, the next one on `loadMore`
 * (one request at a time; answers for an older `fetchPage` are dropped). Channels are kept once
 * each by id: a viewer count changing between pages can move a channel across a page boundary.
 */
export function usePagedChannels(fetchPage: ((after: string | null) => Promise<ChannelPage>) | null): PagedChannels {
  const { toast } = useApp();
  const [items, setItems] = useState<DirectoryChannel[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const cursor = useRef<string | null>(null);
  const busy = useRef(false);
  const generation = useRef(0);

  const load = useCallback(
    (first: boolean) => {
      if (!fetchPage || busy.current) return;
      const mine = generation.current;
      busy.current = true;
      setLoading(true);
      fetchPage(first ? null : cursor.current)
        .then((page) => {
          if (mine !== generation.current) return;
          cursor.current = page.endCursor ?? null;
          setHasMore(page.hasNextPage && !!page.endCursor);
          setFailed(false);
          setItems((list) => {
            const seen = new Set((first ? [] : (list ?? [])).map((c) => c.id));
            const fresh = page.nodes.filter((c) => !seen.has(c.id) && seen.add(c.id));
            return first || !list ? fresh : [...list, ...fresh];
          });
        })
        .catch((e: Error) => {
          if (mine !== generation.current) return;
          setFailed(true);
          setItems((list) => list ?? []);
          toast("error", e.message);
        })
        .finally(() => {
          if (mine !== generation.current) return;
          busy.current = false;
          setLoading(false);
        });
    },
    [fetchPage, toast],
  );

  useEffect(() => {
    generation.current++;
    busy.current = false;
    cursor.current = null;
    setItems(null);
    setHasMore(false);
    setFailed(false);
    setLoading(false);
    load(true);
  }, [load]);

  const loadMore = useCallback(() => load(false), [load]);
  return { items, hasMore, loading, failed, loadMore };
}

let categoriesCache: { lang: string; promise: Promise<Category[]> } | null = null;

/** Forget the cached categories (their live counts), e.g. when the categories page opens. */
function fetchCategories(lang: string, fresh: boolean): Promise<Category[]> {
  if (fresh || !categoriesCache || categoriesCache.lang !== lang) {
    const promise = request(CategoriesQuery).then((d) => d.categories);
    promise.catch(() => {
      if (categoriesCache?.promise === promise) categoriesCache = null;
    });
    categoriesCache = { lang, promise };
  }
  return categoriesCache.promise;
}

/** All categories in the current language (null while loading); `fresh` asks again for current live counts. */
export function useCategories(fresh = false): Category[] | null {
  const { lang, toast } = useApp();
  const [categories, setCategories] = useState<Category[] | null>(null);
  useEffect(() => {
    let current = true;
    fetchCategories(lang, fresh)
      .then((list) => current && setCategories(list))
      .catch((e: Error) => {
        if (!current) return;
        setCategories([]);
        if (fresh) toast("error", e.message);
      });
    return () => {
      current = false;
    };
  }, [lang, fresh, toast]);
  return categories;
}

/** A category's name (its slug until the names arrive), linking to its page. */
export function CategoryLink({ slug, testId }: { slug: string; testId?: string }) {
  const categories = useCategories();
  const name = categories?.find((c) => c.slug === slug)?.name ?? slug;
  return (
    <Link to={`/c/${encodeURIComponent(slug)}`} className="category-link" testId={testId}>
      {name}
    </Link>
  );
}

/**
 * A channel in a grid: the live frame (or a placeholder) with viewers, then the stream's title as the
 * headline and the channel's name under it (only once when there is no title of its own), the
 * category, the tags and an 18+ mark for mature channels.
 */
export function ChannelCard({ c, testId }: { c: DirectoryChannel; testId?: string }) {
  const { t } = useApp();
  // A broadcast without a title of its own carries the display name: show the name once.
  const title = c.isLive && c.streamTitle && c.streamTitle !== c.displayName ? c.streamTitle : null;
  return (
    <article className="card channel-card" data-testid={testId ?? `channel-card-${c.username}`} data-username={c.username}>
      <Link to={`/${c.username}`} className="card-main">
        {c.isLive && (
          <div className="thumb">
            {c.thumbnailUrl ? (
              <img src={c.thumbnailUrl} alt={t("thumbnailAlt", { name: c.displayName })} loading="lazy" data-testid="card-thumbnail" />
            ) : (
              <span className="thumb-empty" aria-hidden="true">
                {c.displayName[0]}
              </span>
            )}
            <span className="badge-live thumb-live">{t("live")}</span>
            {c.mature && (
              <span className="badge-mature thumb-mature" data-testid="card-mature" title={t("matureLabel")}>
                {t("matureBadge")}
              </span>
            )}
            <span className="thumb-viewers" data-testid="card-viewers">
              {c.viewerCount} {t("viewers")}
            </span>
          </div>
        )}
        <div className="card-head">
          {c.avatarUrl ? <img className="avatar" src={c.avatarUrl} alt="" /> : <span className="avatar placeholder">{c.displayName[0]}</span>}
          <div className="card-text">
            {title ? (
              <>
                <strong className="card-title" title={title} data-testid="card-title">
                  {title}
                </strong>
                <div className="muted card-name" data-testid="card-name">
                  {c.displayName}
                </div>
              </>
            ) : (
              <strong className="card-name" data-testid="card-name">
                {c.displayName}
              </strong>
            )}
          </div>
          {!c.isLive && c.mature && (
            <span className="badge-mature" data-testid="card-mature" title={t("matureLabel")}>
              {t("matureBadge")}
            </span>
          )}
        </div>
      </Link>
      {((c.isLive && c.categorySlug) || c.tags.length > 0) && (
        <div className="card-category">
          {c.isLive && c.categorySlug && <CategoryLink slug={c.categorySlug} testId="card-category" />}
          <TagChips tags={c.tags} />
        </div>
      )}
    </article>
  );
}

/**
 * A grid of channels that loads the next page when its end comes into view (an
 * IntersectionObserver on a sentinel), with a button as well, and says so when all are shown.
 */
export function ChannelGrid({
  list,
  empty,
  testId,
  emptyTestId,
  emptyContent,
}: {
  list: PagedChannels;
  empty: string;
  testId: string;
  emptyTestId?: string;
  /** Shown instead of the `empty` line when the list has nothing (the home page's invitation). */
  emptyContent?: ReactNode;
}) {
  const { t } = useApp();
  const sentinel = useRef<HTMLDivElement>(null);
  const { items, hasMore, loading, failed, loadMore } = list;
  const count = items?.length ?? 0;

  useEffect(() => {
    const target = sentinel.current;
    if (!target || !hasMore || loading || failed || typeof IntersectionObserver === "undefined") return;
    // Observed afresh after every page: its first report says whether the end is still in view
    // (a short page on a tall screen), so pages keep coming until the screen is full.
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadMore(), { rootMargin: "300px 0px" });
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasMore, loading, failed, loadMore, count]);

  if (items === null) return <p className="muted">{t("loading")}</p>;
  if (items.length === 0 && !hasMore) {
    if (!failed && emptyContent) return <>{emptyContent}</>;
    return failed ? null : (
      <p className="muted" data-testid={emptyTestId ?? `${testId}-empty`}>
        {empty}
      </p>
    );
  }
  return (
    <>
      <div className="grid" data-testid={testId} data-count={count}>
        {items.map((c) => (
          <ChannelCard key={c.id} c={c} />
        ))}
      </div>
      <div ref={sentinel} className="list-end" data-testid={`${testId}-end`} data-state={hasMore ? (loading ? "loading" : "more") : "done"}>
        {hasMore ? (
          loading ? (
            <span className="muted">{t("loadingMore")}</span>
          ) : (
            <button type="button" className="ghost" data-testid={`${testId}-more`} onClick={loadMore}>
              {t("loadMore")}
            </button>
          )
        ) : (
          <span className="muted" data-testid={`${testId}-done`}>
            {t("endOfList")}
          </span>
        )}
      </div>
    </>
  );
}
