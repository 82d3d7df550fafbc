import { Link, useApp } from "../../context";
import type { Key } from "../../i18n";
import AccountSection from "./AccountSection";
import { BlockedUsers } from "./BlockedUsers";
import { Notifications } from "./Notifications";
import { Profile } from "./Profile";
import { Security } from "./Security";
import { Sessions } from "./Sessions";

const tabs = [
  { id: "profile", label: "profile", page: Profile },
  { id: "security", label: "security", page: Security },
  { id: "notifications", label: "notificationsTab", page: Notifications },
  { id: "sessions", label: "sessions", page: Sessions },
  { id: "blocked", label: "blockedTab", page: BlockedUsers },
  { id: "account", label: "accountSettings", page: AccountSection },
] as const satisfies readonly { id: string; label: Key; page: () => unknown }[];

/** /settings/{tab}: an unknown or missing tab shows the profile. */
export function Settings({ path }: { path: string }) {
  const { t, me } = useApp();
  if (!me) return <p data-testid="must-sign-in">{t("mustSignInSettings")}</p>;
  const tab = tabs.find((x) => path === `/settings/${x.id}`) ?? tabs[0];
  const Page = tab.page;
  return (
    <div className="settings">
      <h1>{t("settings")}</h1>
      <nav className="tabs" aria-label={t("settings")}>
        {tabs.map((x) => (
          <Link key={x.id} to={`/settings/${x.id}`} className={x === tab ? "active" : ""} testId={`tab-${x.id}`}>
            {t(x.label)}
          </Link>
        ))}
      </nav>
      <Page />
    </div>
  );
}
