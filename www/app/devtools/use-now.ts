'use client';
// A clock for countdowns and the timeline's window, read in an interval
// (never during render); null until mounted, so the server render and
// hydration show no time. `paused` freezes it.
import { useEffect, useState } from 'react';

export function useNow(everyMs: number, paused = false): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (paused) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs, paused]);
  return now;
}
