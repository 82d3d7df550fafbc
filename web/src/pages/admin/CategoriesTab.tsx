import { useCallback, useEffect, useState, type FormEvent } from "react";
import { request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import type { AdminCategoriesQuery } from "../../gql/graphql";

const AdminCategoriesQueryDocument = graphql(`
  query AdminCategories {
    categories {
      slug
      nameEn
      nameUk
      imageUrl
      liveChannelCount
    }
  }
`);

const AdminCreateCategoryMutation = graphql(`
  mutation AdminCreateCategory($s: String!, $en: String!, $uk: String) {
    createCategory(slug: $s, nameEn: $en, nameUk: $uk) {
      slug
    }
  }
`);

const AdminRenameCategoryMutation = graphql(`
  mutation AdminRenameCategory($s: String!, $en: String, $uk: String) {
    renameCategory(slug: $s, nameEn: $en, nameUk: $uk) {
      slug
    }
  }
`);

const AdminReorderCategoriesMutation = graphql(`
  mutation AdminReorderCategories($slugs: [String!]!) {
    reorderCategories(slugs: $slugs) {
      slug
    }
  }
`);

const AdminRemoveCategoryImageMutation = graphql(`
  mutation AdminRemoveCategoryImage($s: String!) {
    removeCategoryImage(slug: $s) {
      slug
    }
  }
`);

type CategoryRow = AdminCategoriesQuery["categories"][number];

/** Create, rename, reorder (up/down) and give images to the categories. */
export function CategoriesTab() {
  const { t, toast } = useApp();
  const [categories, setCategories] = useState<CategoryRow[] | null>(null);
  const [slug, setSlug] = useState("");
  const [nameEn, setNameEn] = useState("");
  const [nameUk, setNameUk] = useState("");
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => setCategories((await request(AdminCategoriesQueryDocument)).categories), []);

  useEffect(() => {
    load().catch((e: Error) => toast("error", e.message));
  }, [load, toast]);

  const act = async (action: () => Promise<string>) => {
    setBusy(true);
    try {
      toast("success", await action());
      await load();
    } catch (e) {
      toast("error", (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const create = (e: FormEvent) => {
    e.preventDefault();
    const name = nameEn.trim();
    void act(async () => {
      await request(AdminCreateCategoryMutation, { s: slug.trim(), en: name, uk: nameUk.trim() || null });
      setSlug("");
      setNameEn("");
      setNameUk("");
      return t("adminCategoryCreated", { name });
    });
  };

  const move = (index: number, by: number) => {
    if (!categories) return;
    const order = categories.map((c) => c.slug);
    [order[index], order[index + by]] = [order[index + by], order[index]];
    void act(async () => {
      await request(AdminReorderCategoriesMutation, { slugs: order });
      return t("adminCategorySaved");
    });
  };

  return (
    <>
      <section className="panel" data-testid="admin-category-form">
        <h2>{t("adminTabCategories")}</h2>
        <p className="muted">{t("adminCategoryHint")}</p>
        <form className="row wrap" onSubmit={create}>
          <input data-testid="admin-category-slug" placeholder={t("adminSlug")} aria-label={t("adminSlug")} maxLength={40} value={slug} onChange={(e) => setSlug(e.target.value)} />
          <input data-testid="admin-category-name-en" placeholder={t("adminNameEn")} aria-label={t("adminNameEn")} maxLength={60} value={nameEn} onChange={(e) => setNameEn(e.target.value)} />
          <input data-testid="admin-category-name-uk" placeholder={t("adminNameUk")} aria-label={t("adminNameUk")} maxLength={60} value={nameUk} onChange={(e) => setNameUk(e.target.value)} />
          <button type="submit" data-testid="admin-category-create" disabled={busy || !slug.trim() || !nameEn.trim()}>
            {t("adminCreateCategory")}
          </button>
        </form>
      </section>
      <section className="panel" data-testid="admin-categories">
        {categories === null ? (
          <p className="muted">{t("loading")}</p>
        ) : (
          <ul className="studio-list">
            {categories.map((c, i) => (
              <CategoryItem key={c.slug} category={c} busy={busy} first={i === 0} last={i === categories.length - 1} onMove={(by) => move(i, by)} act={act} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function CategoryItem(props: {
  category: CategoryRow;
  busy: boolean;
  first: boolean;
  last: boolean;
  onMove: (by: number) => void;
  act: (action: () => Promise<string>) => Promise<void>;
}) {
  const { category: c, busy, act } = props;
  const { t } = useApp();
  const [en, setEn] = useState(c.nameEn);
  const [uk, setUk] = useState(c.nameUk);
  const [fileKey, setFileKey] = useState(0);
  const changed = en.trim() !== c.nameEn || uk.trim() !== c.nameUk;

  const upload = (file: File) =>
    act(async () => {
      const form = new FormData();
      form.append("file", file);
      const response = await fetch(`/media/category/${encodeURIComponent(c.slug)}`, { method: "POST", body: form, credentials: "same-origin" });
      const body = (await response.json().catch(() => ({}))) as { url?: string; message?: string };
      setFileKey((k) => k + 1);
      if (!response.ok || !body.url) throw new Error(body.message ?? `HTTP ${response.status}`);
      return t("adminImageUploaded");
    });

  return (
    <li data-testid="admin-category" data-slug={c.slug}>
      {c.imageUrl ? <img src={c.imageUrl} alt="" width={36} height={48} className="category-art" /> : <span className="category-art placeholder" />}
      <span>
        <Link to={`/c/${c.slug}`}>
          <code>{c.slug}</code>
        </Link>
        <br />
        <span className="row wrap">
          <input data-testid="admin-category-edit-en" aria-label={t("adminNameEn")} maxLength={60} value={en} onChange={(e) => setEn(e.target.value)} />
          <input data-testid="admin-category-edit-uk" aria-label={t("adminNameUk")} maxLength={60} value={uk} onChange={(e) => setUk(e.target.value)} />
          <button
            type="button"
            data-testid="admin-category-rename"
            disabled={busy || !changed || !en.trim() || !uk.trim()}
            onClick={() =>
              act(async () => {
                await request(AdminRenameCategoryMutation, { s: c.slug, en: en.trim(), uk: uk.trim() });
                return t("adminCategorySaved");
              })
            }
          >
            {t("adminRename")}
          </button>
        </span>
      </span>
      <span className="spacer" />
      <button type="button" className="ghost" data-testid="admin-category-up" aria-label={t("adminMoveUp")} title={t("adminMoveUp")} disabled={busy || props.first} onClick={() => props.onMove(-1)}>
        ↑
      </button>
      <button type="button" className="ghost" data-testid="admin-category-down" aria-label={t("adminMoveDown")} title={t("adminMoveDown")} disabled={busy || props.last} onClick={() => props.onMove(1)}>
        ↓
      </button>
      <label className="button ghost">
        {t("adminImage")}
        <input
          key={fileKey}
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          data-testid="admin-category-image"
          hidden
          disabled={busy}
          onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0])}
        />
      </label>
      {c.imageUrl && (
        <button
          type="button"
          className="ghost"
          disabled={busy}
          onClick={() =>
            act(async () => {
              await request(AdminRemoveCategoryImageMutation, { s: c.slug });
              return t("adminImageRemoved");
            })
          }
        >
          {t("remove")}
        </button>
      )}
    </li>
  );
}
