import type { Bucket } from '@/lib/sparkline';

/** A small SVG sparkline; pure function of the buckets (same on server and client). */
export function Sparkline({ buckets }: { buckets: Bucket[] }) {
  const w = 300, h = 64;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const step = buckets.length > 1 ? w / (buckets.length - 1) : w;
  const points = buckets.map((b, i) => `${(i * step).toFixed(1)},${(h - 4 - (b.count / max) * (h - 8)).toFixed(1)}`).join(' ');
  const total = buckets.reduce((n, b) => n + b.count, 0);
  return (
    <svg viewBox={`0 0 ${w} ${h}`} width="100%" height={h} role="img" aria-label={`${total} events in the last ${buckets.length} minutes`} data-testid="sparkline">
      <polyline points={points} fill="none" stroke="#5eead4" strokeWidth="2" strokeLinejoin="round" />
    </svg>
  );
}
