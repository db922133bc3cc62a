// When the engine wakes next and why, counting down; from `debug().timers`
// (the timer table, soonest first within the first 64).
import { wakeWords, duration } from '@/lib/engine-words';
import { clockTime } from '@/lib/zone-format';

interface Timer {
  atMs: number;
  wake: unknown;
}

export function nextTimer(debug: Record<string, unknown>): Timer | null {
  const timers = Array.isArray(debug.timers) ? (debug.timers as Timer[]) : [];
  return timers.filter((t) => typeof t?.atMs === 'number').sort((a, b) => a.atMs - b.atMs)[0] ?? null;
}

export function NextWake({ debug, nowMs, timeZone }: { debug: Record<string, unknown>; nowMs: number | null; timeZone: string }) {
  const next = nextTimer(debug);
  const count = typeof debug.timerCount === 'number' ? debug.timerCount : 0;
  return (
    <div className="card" data-testid="dt-next-wake">
      <dt className="label">Next wake</dt>
      <dd className="value small">{next && nowMs !== null ? `in ${duration(Math.max(0, next.atMs - nowMs))}` : next ? '…' : 'nothing armed'}</dd>
      <dd className="hint">{next ? `${wakeWords(next.wake)} · at ${clockTime(next.atMs, timeZone, true)} · ${count} timers` : 'the engine sleeps until an input arrives'}</dd>
    </div>
  );
}
