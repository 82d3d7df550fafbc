import { Link, useApp } from "../context";
import { ChannelGrid, useCategories } from "../components/discovery/Directory";
import { useLiveChannels } from "../components/discovery/liveChannels";

/** /categories: every category with how many channels are live in it, most watched first. */
export function CategoriesPage() {
  const { t } = useApp();
  const categories = useCategories(true);
  if (categories === null) return <p className="muted">{t("loading")}</p>;
  // Stable sort: equal viewer counts keep the server's order.
  const sorted = [...categories].sort((a, b) => b.viewerCount - a.viewerCount || b.liveChannelCount - a.liveChannelCount);
  return (
    <div className="categories">
      <h1>{t("categories")}</h1>
      <div className="category-grid" data-testid="categories">
        {sorted.map((c) => (
          <Link key={c.slug} to={`/c/${encodeURIComponent(c.slug)}`} className="card category-tile" testId={`category-tile-${c.slug}`}>
            <strong>{c.name}</strong>
            <span className="muted" data-testid="category-live-count">
              {c.liveChannelCount > 0 ? (
                <>
                  <span className="live-dot" aria-hidden="true" /> {t("categoryLive", { count: String(c.liveChannelCount) })} ·{" "}
                  {t("categoryViewers", { count: String(c.viewerCount) })}
                </>
              ) : (
                t("categoryLive", { count: "0" })
              )}
            </span>
          </Link>
        ))}
      </div>
    </div>
  );
}

/** /c/{slug}: the channels live in one category, paged like the home page. */
export function CategoryPage({ slug }: { slug: string }) {
  const { t } = useApp();
  const categories = useCategories();
  const category = categories?.find((c) => c.slug === slug);
  // Ask for channels only once the slug is known to be a category (an unknown one lists nothing).
  const live = useLiveChannels(category ? slug : null, !category);

  if (categories === null) return <p className="muted">{t("loading")}</p>;
  if (!category) {
    return (
      <div className="category-missing" data-testid="category-missing">
        <h1>{t("noSuchCategory")}</h1>
        <Link to="/categories">{t("allCategories")}</Link>
      </div>
    );
  }
  return (
    <div className="category-page">
      <p className="crumbs">
        <Link to="/categories" testId="all-categories">
          {t("allCategories")}
        </Link>
      </p>
      <h1 data-testid="category-name">{category.name}</h1>
      <ChannelGrid list={live} empty={t("nobodyLiveInCategory")} testId="category-channels" emptyTestId="category-empty" />
    </div>
  );
}
