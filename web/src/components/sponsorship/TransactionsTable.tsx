import type { ReactNode } from "react";
import { useApp } from "../../context";
import type { TransactionStatus } from "../../gql/graphql";
import { formatMoney } from "../../money";
import { DataTable } from "../DataTable";

const statusKeys = {
  PENDING: "txPending",
  SUCCESS: "txSuccess",
  FAILED: "txFailed",
  EXPIRED: "txExpired",
  REFUNDED: "txRefunded",
} as const satisfies Record<TransactionStatus, string>;

export function TransactionStatusBadge({ status }: { status: TransactionStatus }) {
  const { t } = useApp();
  return <span className={`status-badge ${status.toLowerCase()}`}>{t(statusKeys[status])}</span>;
}

/** The fields of a sponsorship payment both tables show; the other party differs (channel or payer). */
export interface Transaction {
  id: string;
  createdAt: string;
  planTitle: string;
  amount: number;
  currency: string;
  status: TransactionStatus;
}

interface Props<T extends Transaction> {
  rows: readonly T[];
  /** The other party's column: the channel paid (a viewer's payments) or the payer (a channel's income). */
  party: { header: string; cell: (row: T) => ReactNode };
  rowTestId: string;
}

/** Sponsorship payments, newest first as the server lists them: date, the other party, plan, amount, status. */
export function TransactionsTable<T extends Transaction>({ rows, party, rowTestId }: Props<T>) {
  const { t, lang } = useApp();
  return (
    <DataTable
      className="money-table"
      scroll
      rows={rows}
      rowKey={(x) => x.id}
      rowData={(x) => ({ "data-testid": rowTestId, "data-status": x.status })}
      columns={[
        { header: t("date"), cell: (x) => new Date(x.createdAt).toLocaleDateString(lang) },
        party,
        { header: t("plan"), cell: (x) => x.planTitle },
        { header: t("amount"), numeric: true, cell: (x) => formatMoney(x.amount, x.currency, lang) },
        { header: t("status"), cell: (x) => <TransactionStatusBadge status={x.status} /> },
      ]}
    />
  );
}
