import { Link, useApp } from "../../context";

/** What a first visitor sees when nobody is live: an invitation to be the first, not a blank page. */
export function EmptyState() {
  const { t, me } = useApp();
  return (
    <section className="panel empty-state" data-testid="nobody-live">
      <h2>{t("emptyTitle")}</h2>
      <p className="muted">{t("emptyText")}</p>
      {me ? (
        <Link to="/dashboard" className="button" testId="empty-go-live">
          {t("emptyGoLive")}
        </Link>
      ) : (
        <div className="row-wrap">
          <Link to="/signup" className="button" testId="empty-signup">
            {t("emptySignUp")}
          </Link>
          <Link to="/login" testId="empty-login">
            {t("emptyHaveAccount")}
          </Link>
        </div>
      )}
    </section>
  );
}
