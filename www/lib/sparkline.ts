// Events per minute for the sparkline: buckets keyed by the minute of each
// event's own created_at, so the client needs no clock to extend them.
export interface Bucket {
  minute: number; // epoch minutes
  count: number;
}

export const SPARK_MINUTES = 30;

export function emptyBuckets(nowMs: number): Bucket[] {
  const last = Math.floor(nowMs / 60_000);
  return Array.from({ length: SPARK_MINUTES }, (_, i) => ({ minute: last - SPARK_MINUTES + 1 + i, count: 0 }));
}

/** Adds one event at `atMs`; a newer minute shifts the window. */
export function addEvent(buckets: Bucket[], atMs: number): Bucket[] {
  if (!Number.isFinite(atMs) || buckets.length === 0) return buckets;
  const minute = Math.floor(atMs / 60_000);
  const last = buckets[buckets.length - 1]!.minute;
  let next = buckets;
  if (minute > last) {
    const added = Array.from({ length: Math.min(minute - last, SPARK_MINUTES) }, (_, i) => ({ minute: minute - Math.min(minute - last, SPARK_MINUTES) + 1 + i, count: 0 }));
    next = [...buckets, ...added].slice(-SPARK_MINUTES);
  }
  return next.map((b) => (b.minute === minute ? { ...b, count: b.count + 1 } : b));
}
