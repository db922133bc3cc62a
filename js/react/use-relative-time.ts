import { useMemo } from 'react';
import { relativeLabel } from '../relative-label.js';
import type { RegistrationSnapshot } from '../types.js';
import { usePulseContext } from './context.js';
import { useHandle, useRegistration } from './use-registration.js';

/**
 * "Just now" / "12s ago" / "3m ago" / "2h ago" for `ms` (epoch ms), ticking
 * from the engine's one shared clock only when the label changes. The first
 * render uses the server snapshot's clock; `null`/`undefined` gives `null`.
 */
export function useRelativeTime(ms: number | null | undefined): string | null {
  const { driver, snapshot } = usePulseContext();
  const valid = typeof ms === 'number' && Number.isFinite(ms);
  const fallback = useMemo<RegistrationSnapshot>(
    () => ({ type: 'relative_time', label: valid && snapshot ? relativeLabel(snapshot.nowMs, ms) : '', atMs: valid ? ms : 0 }),
    [valid, ms, snapshot],
  );
  const { handle } = useHandle(valid ? driver : null, String(ms), (d) => d.registerRelativeTime(ms as number));
  const snap = useRegistration(driver, handle, fallback);
  if (!valid) return null;
  return snap.type === 'relative_time' ? snap.label || null : null;
}
