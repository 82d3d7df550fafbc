import { Link, useApp } from "../../context";
import type { Key } from "../../i18n";
import { ActivityTab } from "./ActivityTab";
import { BansTab } from "./BansTab";
import { CategoriesTab } from "./CategoriesTab";
import { LiveTab } from "./LiveTab";
import { ReportsTab } from "./ReportsTab";

const tabs = [
  { id: "live", path: "/admin", label: "adminTabLive" },
  { id: "activity", path: "/admin/activity", label: "adminTabActivity" },
  { id: "reports", path: "/admin/reports", label: "adminTabReports" },
  { id: "bans", path: "/admin/bans", label: "adminTabBans" },
  { id: "categories", path: "/admin/categories", label: "adminTabCategories" },
] as const satisfies readonly { id: string; path: string; label: Key }[];

export type AdminTab = (typeof tabs)[number]["id"];

/** /admin/<tab>: an unknown tab shows the live channels. */
export function adminTab(path: string): AdminTab {
  return tabs.find((x) => x.path === path.replace(/\/+$/, ""))?.id ?? "live";
}

/**
 * The operators' panel. Who may open it is the server's call (me.operatorAccess, and every
 * operation checks again): anyone else reads why not, never an empty page.
 */
export function AdminPage({ tab }: { tab: AdminTab }) {
  const { t, me } = useApp();
  if (!me) return <p data-testid="admin-signin">{t("adminSignIn")}</p>;
  if (me.operatorAccess === "TWO_FACTOR_REQUIRED")
    return (
      <section className="panel" data-testid="admin-needs-2fa">
        <h1>{t("adminTitle")}</h1>
        <p>{t("adminNeedsTwoFactor")}</p>
        <Link to="/settings/security">{t("adminTurnOnTwoFactor")}</Link>
      </section>
    );
  if (me.operatorAccess !== "GRANTED")
    return (
      <section className="panel" data-testid="admin-forbidden">
        <h1>{t("adminTitle")}</h1>
        <p>{t("adminOnly")}</p>
      </section>
    );
  return (
    <div className="dashboard" data-testid="admin">
      <h1>{t("adminTitle")}</h1>
      <nav className="dash-tabs" aria-label={t("adminTitle")}>
        {tabs.map((x) => (
          <Link key={x.id} to={x.path} className={x.id === tab ? "active" : undefined} testId={`admin-tab-${x.id}`}>
            {t(x.label)}
          </Link>
        ))}
      </nav>
      {tab === "live" && <LiveTab />}
      {tab === "activity" && <ActivityTab />}
      {tab === "reports" && <ReportsTab />}
      {tab === "bans" && <BansTab />}
      {tab === "categories" && <CategoriesTab />}
    </div>
  );
}
