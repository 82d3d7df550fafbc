import { useCallback, useEffect, useState } from "react";
import { request } from "../api";
import { Link, useApp } from "../context";
import { graphql } from "../gql";
import type { MySponsorshipsPageQuery, SponsorshipStatus } from "../gql/graphql";
import { usePaged } from "../paging";
import { TransactionsTable } from "../components/sponsorship/TransactionsTable";

type MySponsorship = MySponsorshipsPageQuery["mySponsorships"][number];

const MySponsorshipsQuery = graphql(`
  query MySponsorshipsPage {
    mySponsorships {
      channelId
      planTitle
      status
      since
      expiresAt
      autoRenew
      channel {
        username
        displayName
      }
    }
  }
`);

const MyTransactionsQuery = graphql(`
  query MyTransactionsPage($first: Int!, $after: String) {
    myTransactions(first: $first, after: $after) {
      edges {
        node {
          id
          planTitle
          amount
          currency
          status
          createdAt
          channel {
            username
            displayName
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const sponsorshipKeys = {
  ACTIVE: "spActive",
  EXPIRED: "spExpired",
  ENDED: "spEnded",
} as const satisfies Record<SponsorshipStatus, string>;

/** The signed-in user's sponsorships (mySponsorships) and payments (myTransactions, with "load more"). */
export function SponsorshipsPage() {
  const { t, me } = useApp();
  return me ? <Mine /> : <p data-testid="sponsorships-signin">{t("mustSignInSponsorships")}</p>;
}

function Mine() {
  const { t, lang, toast } = useApp();
  const [sponsorships, setSponsorships] = useState<MySponsorship[] | null>(null);
  const onError = useCallback((e: Error) => toast("error", e.message), [toast]);
  const transactions = usePaged(
    useCallback(async (after: string | null) => (await request(MyTransactionsQuery, { first: 20, after })).myTransactions, []),
    onError,
  );

  useEffect(() => {
    request(MySponsorshipsQuery)
      .then((d) => setSponsorships(d.mySponsorships))
      .catch(onError);
  }, [onError]);

  const date = (iso: string) => new Date(iso).toLocaleDateString(lang);

  return (
    <div className="sponsorships-page">
      <h1>{t("mySponsorships")}</h1>
      <section className="panel" data-testid="my-sponsorships">
        <h2>{t("sponsoredChannels")}</h2>
        {sponsorships === null ? (
          <p className="muted">{t("loading")}</p>
        ) : sponsorships.length === 0 ? (
          <p className="muted" data-testid="no-my-sponsorships">
            {t("noMySponsorships")}
          </p>
        ) : (
          <ul className="studio-list">
            {sponsorships.map((s) => (
              <li key={`${s.channelId}-${s.since}`} data-testid="my-sponsorship" data-channel={s.channel?.username} data-status={s.status}>
                <span>
                  {s.channel ? <Link to={`/${s.channel.username}`}>{s.channel.displayName}</Link> : s.channelId} · {s.planTitle}
                  <br />
                  <small className="muted">
                    {t("sponsorSince", { date: date(s.since) })} ·{" "}
                    {s.status === "ACTIVE"
                      ? s.autoRenew
                        ? t("renewsOn", { date: date(s.expiresAt) })
                        : t("endsOn", { date: date(s.expiresAt) })
                      : t("endedOn", { date: date(s.expiresAt) })}
                  </small>
                </span>
                <span className="spacer" />
                <span className={`status-badge ${s.status.toLowerCase()}`}>{t(sponsorshipKeys[s.status])}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" data-testid="my-transactions">
        <h2>{t("myPayments")}</h2>
        {transactions.items === null ? (
          <p className="muted">{t("loading")}</p>
        ) : transactions.items.length === 0 ? (
          <p className="muted" data-testid="no-my-transactions">
            {t("noMyTransactions")}
          </p>
        ) : (
          <TransactionsTable
            rows={transactions.items}
            rowTestId="my-transaction"
            party={{ header: t("channelColumn"), cell: (x) => (x.channel ? <Link to={`/${x.channel.username}`}>{x.channel.displayName}</Link> : "—") }}
          />
        )}
        {transactions.hasMore && (
          <button type="button" className="ghost" data-testid="my-transactions-more" disabled={transactions.loading} onClick={transactions.loadMore}>
            {t("loadMore")}
          </button>
        )}
      </section>
    </div>
  );
}
