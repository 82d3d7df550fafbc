/** Money is integer minor units (cents, kopiykas) with a lower-case ISO 4217 code, as the API sends it. */

function formatter(lang: string, currency: string): Intl.NumberFormat {
  return new Intl.NumberFormat(lang, { style: "currency", currency: currency.toUpperCase() });
}

/** How many minor units make one unit of the currency's display (2 for usd, eur, uah). */
export function minorDigits(currency: string): number {
  try {
    return formatter("en", currency).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** 500 usd → "$5.00" (en) or "5,00 USD" (uk); an unknown code falls back to "5.00 XYZ". */
export function formatMoney(amount: number, currency: string, lang: string): string {
  const value = amount / 10 ** minorDigits(currency);
  try {
    return formatter(lang, currency).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency.toUpperCase()}`;
  }
}

/** "5", "5.5", "5,50" → minor units (500, 550, 550); null when not a non-negative amount with at most the currency's decimals. */
export function parseMoney(text: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const normalized = text.trim().replace(",", ".");
  const pattern = new RegExp(`^\\d+(\\.\\d{0,${digits}})?$`);
  if (!pattern.test(normalized)) return null;
  const [whole, fraction = ""] = normalized.split(".");
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/** Minor units as an editable amount: 550 usd → "5.50". */
export function moneyInput(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  return (amount / 10 ** digits).toFixed(digits);
}
