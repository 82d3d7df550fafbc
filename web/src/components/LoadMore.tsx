import { Fragment, type ReactNode } from "react";
import { useApp } from "../context";
import type { Paged } from "../paging";

/** The "load more" button under a paged list, shown while the server has more; says so while a page is on its way. */
export function LoadMoreButton({ paged }: { paged: Pick<Paged<unknown>, "hasMore" | "loading" | "loadMore"> }) {
  const { t } = useApp();
  if (!paged.hasMore) return null;
  return (
    <div className="list-end">
      <button type="button" className="ghost" disabled={paged.loading} onClick={paged.loadMore}>
        {paged.loading ? t("loadingMore") : t("loadMore")}
      </button>
    </div>
  );
}

interface GridProps<T> {
  paged: Paged<T>;
  /** Shown when the list is empty. */
  empty: ReactNode;
  /** Shown before the first page arrives. */
  pending?: ReactNode;
  itemKey: (item: T) => string;
  card: (item: T) => ReactNode;
}

/** A paged list of cards in the card grid, with "load more" under it (past broadcasts, clips, a channel's broadcasts). */
export function LoadMoreGrid<T>({ paged, empty, pending = null, itemKey, card }: GridProps<T>) {
  if (paged.items === null) return <>{pending}</>;
  return (
    <>
      {paged.items.length === 0 ? (
        empty
      ) : (
        <div className="grid">
          {paged.items.map((item) => (
            <Fragment key={itemKey(item)}>{card(item)}</Fragment>
          ))}
        </div>
      )}
      <LoadMoreButton paged={paged} />
    </>
  );
}
