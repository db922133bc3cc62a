// Calls and events per local hour, today against yesterday: the shape the
// server sends (page render and GET /api/demo/hourly) and the chart reads.
export const HOUR_MS = 3_600_000;

export interface DaySeries {
  dateKey: string;
  fromMs: number;
  toMs: number;
  /** Index i counts [fromMs + i h, fromMs + (i+1) h): a 23- or 25-hour day has 23 or 25. */
  calls: number[];
  events: number[];
}

/** The KPI fields, counted over yesterday up to the same time of day as now. */
export interface SameTimeYesterday {
  sealed: number;
  junk: number;
  total_leads: number;
  gclid_leads: number;
  queue_pending: number;
}

export interface HourlySeries {
  timeZone: string;
  /** The server's clock when it counted: the current hour is partial from here. */
  nowMs: number;
  adsOnly: boolean;
  today: DaySeries;
  yesterday: DaySeries;
  yesterdaySoFar: SameTimeYesterday | null;
}

export function hoursIn(fromMs: number, toMs: number): number {
  return Math.max(0, Math.ceil((toMs - fromMs) / HOUR_MS));
}

/** The hour of today that `nowMs` falls in (partial), or -1 outside today. */
export function currentHour(series: HourlySeries): number {
  const { fromMs, toMs } = series.today;
  return series.nowMs >= fromMs && series.nowMs < toMs ? Math.floor((series.nowMs - fromMs) / HOUR_MS) : -1;
}
