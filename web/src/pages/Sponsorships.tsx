import { useCallback, useEffect, useState } from "react";
import { request } from "../api";
import { Link, useApp } from "../context";
import { graphql } from "../gql";
import type { MySponsorshipsPageQuery, SponsorshipStatus, TransactionStatus } from "../gql/graphql";
import { formatMoney } from "../money";
import { usePaged } from "../paging";

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

const statusKeys = {
  PENDING: "txPending",
  SUCCESS: "txSuccess",
  FAILED: "txFailed",
  EXPIRED: "txExpired",
  REFUNDED: "txRefunded",
} as const satisfies Record<TransactionStatus, string>;

const sponsorshipKeys = {
  ACTIVE: "spActive",
  EXPIRED: "spExpired",
  ENDED: "spEnded",
} as const satisfies Record<SponsorshipStatus, string>;

export function TransactionStatusBadge({ status }: { status: TransactionStatus }) {
  const { t } = useApp();
  return <span className={`status-badge ${status.toLowerCase()}`}>{t(statusKeys[status])}</span>;
}

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
          <div className="table-scroll">
            <table className="money-table">
              <thead>
                <tr>
                  <th>{t("date")}</th>
                  <th>{t("channelColumn")}</th>
                  <th>{t("plan")}</th>
                  <th className="num">{t("amount")}</th>
                  <th>{t("status")}</th>
                </tr>
              </thead>
              <tbody>
                {transactions.items.map((x) => (
                  <tr key={x.id} data-testid="my-transaction" data-status={x.status}>
                    <td>{date(x.createdAt)}</td>
                    <td>{x.channel ? <Link to={`/${x.channel.username}`}>{x.channel.displayName}</Link> : "—"}</td>
                    <td>{x.planTitle}</td>
                    <td className="num">{formatMoney(x.amount, x.currency, lang)}</td>
                    <td>
                      <TransactionStatusBadge status={x.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
