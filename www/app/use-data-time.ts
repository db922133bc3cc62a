'use client';
// When the figures on screen arrived: the server snapshot's instant at first
// (the server and hydration agree on it), then the time each new stats
// object reached the page, read in an effect, never during render.
import { useEffect, useRef, useState } from 'react';

export function useDataTime(stats: unknown, initialMs: number): number {
  const [at, setAt] = useState(initialMs);
  const first = useRef(stats);
  useEffect(() => {
    if (stats === first.current) return;
    first.current = null;
    setAt(Date.now());
  }, [stats]);
  return at;
}
