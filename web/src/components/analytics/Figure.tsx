/** One labelled figure of a <dl> of analytics (the dashboard's totals, a broadcast's, the operators' last hour). */
export function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}
