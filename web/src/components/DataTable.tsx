import type { ReactNode } from "react";

/** One column of a DataTable: its header and what each row shows in it. */
export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Right-aligned figures (the "num" class on both the header and the cells). */
  numeric?: boolean;
  /** Extra class for the column's cells (e.g. "details" for wrapping text). */
  className?: string;
  /** data-testid of the column's cells. */
  testId?: string;
}

/** data-* attributes for a row, which the browser tests find rows by. */
export type RowData = Partial<Record<`data-${string}`, string>>;

interface Props<T> {
  className: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T, index: number) => string;
  rowData?: (row: T) => RowData;
  /** Wrapped in a horizontally scrolling box, for tables wider than a phone. */
  scroll?: boolean;
}

/** A plain table of records: a header row, then one row per record, columns typed against the record. */
export function DataTable<T>({ className, columns, rows, rowKey, rowData, scroll = false }: Props<T>) {
  const numClass = (column: Column<T>, extra?: string) => [column.numeric ? "num" : undefined, extra].filter(Boolean).join(" ") || undefined;
  const table = (
    <table className={className}>
      <thead>
        <tr>
          {columns.map((column, i) => (
            <th key={i} className={numClass(column)}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={rowKey(row, index)} {...rowData?.(row)}>
            {columns.map((column, i) => (
              <td key={i} className={numClass(column, column.className)} data-testid={column.testId}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return scroll ? <div className="table-scroll">{table}</div> : table;
}
