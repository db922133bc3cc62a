// The words under each KPI: what the number means and how it compares.
// Pure, so the server and the client's first render say the same thing.
import type { SameTimeYesterday } from './hourly';

/** `+3 vs 19 by 14:02 yesterday` (or `same as…`), null without a comparison. */
export function deltaText(now: number, before: number | undefined, at: string | null): string | null {
  if (before === undefined || at === null) return null;
  const d = now - before;
  const sign = d > 0 ? `+${d}` : d < 0 ? `−${-d}` : 'same as';
  return d === 0 ? `same as yesterday by ${at}` : `${sign} vs ${before} by ${at} yesterday`;
}

export type DeltaTone = 'up' | 'down' | 'flat';

export function deltaTone(now: number, before: number | undefined): DeltaTone {
  if (before === undefined || now === before) return 'flat';
  return now > before ? 'up' : 'down';
}

const money = new Map<string, Intl.NumberFormat>();

/** `₺187.50`: the currency's symbol, two decimals; an unknown code falls back to `TRY 187.50`. */
export function formatMoney(amount: number, currency: string): string {
  let f = money.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat('en-GB', { style: 'currency', currency, currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2, maximumFractionDigits: 2 });
    } catch {
      return `${currency} ${amount.toFixed(2)}`;
    }
    money.set(currency, f);
  }
  return f.format(amount);
}

export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '—';
}

export type KpiField = keyof SameTimeYesterday;
