import { Link, useApp } from "../../context";
import type { Key } from "../../i18n";
import { AnalyticsTab } from "./AnalyticsTab";
import { ChatSettingsTab } from "./ChatSettingsTab";
import { EmotesTab } from "./EmotesTab";
import { IncomeTab } from "./IncomeTab";
import { ModeratorsTab } from "./ModeratorsTab";
import { SafetyTab } from "./SafetyTab";
import { PlansTab } from "./PlansTab";
import { StreamTab } from "./StreamTab";

const tabs = [
  { id: "stream", path: "/dashboard", label: "tabStream" },
  { id: "chat", path: "/dashboard/chat", label: "tabChat" },
  { id: "emotes", path: "/dashboard/emotes", label: "tabEmotes" },
  { id: "moderators", path: "/dashboard/moderators", label: "tabModerators" },
  { id: "safety", path: "/dashboard/safety", label: "tabSafety" },
  { id: "plans", path: "/dashboard/plans", label: "tabPlans" },
  { id: "income", path: "/dashboard/income", label: "tabIncome" },
  { id: "analytics", path: "/dashboard/analytics", label: "tabAnalytics" },
] as const satisfies readonly { id: string; path: string; label: Key }[];

export type DashboardTab = (typeof tabs)[number]["id"];

/** /dashboard/<tab>: an unknown tab shows the stream settings; /dashboard/analytics/<stream id> is one broadcast's analytics. */
export function dashboardTab(path: string): DashboardTab {
  const clean = path.replace(/\/+$/, "");
  if (clean.startsWith("/dashboard/analytics/")) return "analytics";
  return tabs.find((x) => x.path === clean)?.id ?? "stream";
}

/** The creator dashboard: stream and OBS set-up, chat settings, moderators and bans, sponsorship plans, income, analytics. */
export function Dashboard({ tab }: { tab: DashboardTab }) {
  const { t, me } = useApp();
  if (!me) return <p data-testid="dashboard-signin">{t("mustSignIn")}</p>;
  return (
    <div className="dashboard">
      <h1>{t("dashboard")}</h1>
      <nav className="dash-tabs" aria-label={t("dashboard")}>
        {tabs.map((x) => (
          <Link key={x.id} to={x.path} className={x.id === tab ? "active" : undefined} testId={`dash-tab-${x.id}`}>
            {t(x.label)}
          </Link>
        ))}
      </nav>
      {tab === "stream" && <StreamTab />}
      {tab === "chat" && <ChatSettingsTab channelId={me.id} />}
      {tab === "emotes" && <EmotesTab channelId={me.id} />}
      {tab === "moderators" && <ModeratorsTab channelId={me.id} />}
      {tab === "safety" && <SafetyTab channelId={me.id} />}
      {tab === "plans" && <PlansTab channelId={me.id} />}
      {tab === "income" && <IncomeTab channelId={me.id} />}
      {tab === "analytics" && <AnalyticsTab channelId={me.id} />}
    </div>
  );
}
