'use client';
// The engine, live, for debugging: the package's devtools panel inline (the
// same one any app mounts with <PulseDevtools>: the timeline with reasons, the
// next wake, counters and drops, controls that change what the engine does),
// beside the hooks a dashboard would mount so there is something to watch,
// and today's figures under the current merge policy with their provenance.
import {
  PulseProvider, useCommandCenterP0Stats, useRealtimeDashboard, type ServerSnapshot,
} from 'opsmantik-pulse/react';
import { PulseDevtools } from 'opsmantik-pulse/devtools/react';
import { demoOverlay, demoRealtime, demoRpc } from '@/lib/demo-adapters';
import { ProvenancePanel } from './provenance-panel';

export function Devtools({ siteId, snapshot }: { siteId: string; snapshot: ServerSnapshot }) {
  return (
    // The engine is this page's point, so its wasm downloads with the HTML (the dashboard lets its JavaScript go first).
    <PulseProvider snapshot={snapshot} rpc={demoRpc} overlay={demoOverlay} realtime={demoRealtime} devtools wasmHintInHead>
      <Panels siteId={siteId} />
    </PulseProvider>
  );
}

function Panels({ siteId }: { siteId: string }) {
  useRealtimeDashboard(siteId, { onDataFreshness() {} });
  const stats = useCommandCenterP0Stats(siteId);
  return (
    <main>
      <PulseDevtools mode="inline" />
      <ProvenancePanel stats={stats} />
    </main>
  );
}
