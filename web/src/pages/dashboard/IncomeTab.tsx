import { useCallback } from "react";
import { request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import { usePaged } from "../../paging";
import { TransactionsTable } from "../../components/sponsorship/TransactionsTable";

const PageSize = 20;

const StudioTransactionsQuery = graphql(`
  query StudioTransactions($first: Int!, $after: String) {
    channelTransactions(first: $first, after: $after) {
      edges {
        node {
          id
          planTitle
          amount
          currency
          status
          createdAt
          payer {
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

const StudioSponsorsQuery = graphql(`
  query StudioSponsors($c: ID!, $first: Int!, $after: String) {
    channelSponsors(channelId: $c, first: $first, after: $after) {
      edges {
        node {
          sponsorId
          planTitle
          since
          expiresAt
          autoRenew
          sponsor {
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

/** Payments to the channel (channelTransactions) and its current sponsors (channelSponsors), each with "load more". */
export function IncomeTab({ channelId }: { channelId: string }) {
  const { t, lang, toast } = useApp();
  const onError = useCallback((e: Error) => toast("error", e.message), [toast]);
  const sponsors = usePaged(
    useCallback(async (after: string | null) => (await request(StudioSponsorsQuery, { c: channelId, first: PageSize, after })).channelSponsors, [channelId]),
    onError,
  );
  const transactions = usePaged(
    useCallback(async (after: string | null) => (await request(StudioTransactionsQuery, { first: PageSize, after })).channelTransactions, []),
    onError,
  );
  const date = (iso: string) => new Date(iso).toLocaleDateString(lang);

  return (
    <>
      <section className="panel" data-testid="sponsors">
        <h2>{t("sponsorsTitle")}</h2>
        {sponsors.items === null ? (
          <p className="muted">{t("loading")}</p>
        ) : sponsors.items.length === 0 ? (
          <p className="muted" data-testid="no-sponsors">
            {t("noSponsors")}
          </p>
        ) : (
          <ul className="studio-list">
            {sponsors.items.map((s) => (
              <li key={s.sponsorId} data-testid="sponsor" data-username={s.sponsor?.username}>
                <span>
                  {s.sponsor ? <Link to={`/${s.sponsor.username}`}>{s.sponsor.displayName}</Link> : s.sponsorId} · {s.planTitle}
                  <br />
                  <small className="muted">
                    {t("sponsorSince", { date: date(s.since) })} · {s.autoRenew ? t("renewsOn", { date: date(s.expiresAt) }) : t("endsOn", { date: date(s.expiresAt) })}
                  </small>
                </span>
              </li>
            ))}
          </ul>
        )}
        {sponsors.hasMore && (
          <button type="button" className="ghost" data-testid="sponsors-more" disabled={sponsors.loading} onClick={sponsors.loadMore}>
            {t("loadMore")}
          </button>
        )}
      </section>
      <section className="panel" data-testid="transactions">
        <h2>{t("transactionsTitle")}</h2>
        {transactions.items === null ? (
          <p className="muted">{t("loading")}</p>
        ) : transactions.items.length === 0 ? (
          <p className="muted" data-testid="no-transactions">
            {t("noTransactions")}
          </p>
        ) : (
          <TransactionsTable
            rows={transactions.items}
            rowTestId="transaction"
            party={{ header: t("payer"), cell: (x) => (x.payer ? <Link to={`/${x.payer.username}`}>{x.payer.username}</Link> : "—") }}
          />
        )}
        {transactions.hasMore && (
          <button type="button" className="ghost" data-testid="transactions-more" disabled={transactions.loading} onClick={transactions.loadMore}>
            {t("loadMore")}
          </button>
        )}
      </section>
    </>
  );
}
