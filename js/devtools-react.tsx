'use client';
// Entry `opsmantik-pulse/devtools/react`: <PulseDevtools /> inside a
// PulseProvider mounts the devtools panel for the provider's driver, the way
// TanStack Query's devtools component does. It renders one empty <div> on the
// server and in the first client render (no hydration difference); the panel
// mounts in an effect once the driver runs, into that div's shadow root.
import { useEffect, useRef } from 'react';
import { usePulseContext } from './react/context.js';
import { mountPulseDevtools, type PulseDevtoolsOptions } from './devtools/panel.js';

export type PulseDevtoolsProps = PulseDevtoolsOptions;

export function PulseDevtools({ mode, initialOpen, timeZone, now }: PulseDevtoolsProps) {
  const { driver } = usePulseContext();
  const ref = useRef<HTMLDivElement>(null);
  // The latest clock, read through a ref: an inline `now={() => …}` must not remount the panel each render.
  const clock = useRef(now);
  clock.current = now;
  const hasClock = now !== undefined;
  useEffect(() => {
    if (!driver || !ref.current) return;
    const read = hasClock ? () => (clock.current ?? Date.now)() : undefined;
    const panel = mountPulseDevtools(ref.current, driver, { mode, initialOpen, timeZone, now: read });
    return () => panel.unmount();
  }, [driver, mode, initialOpen, timeZone, hasClock]);
  return <div ref={ref} data-pulse-devtools-root="" />;
}
