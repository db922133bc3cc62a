// React entry: the provider and the hooks, plus the pure functions.
export { PulseProvider } from './react/provider.js';
export type { PulseProviderProps } from './react/provider.js';
export { useRealtimeDashboard } from './react/use-realtime-dashboard.js';
export type { RealtimeDashboardOptions, RealtimeDashboardResult } from './react/use-realtime-dashboard.js';
export { useCommandCenterP0Stats } from './react/use-command-center-stats.js';
export type { CommandCenterStatsOptions, CommandCenterStatsResult, StatsRangeOverride } from './react/use-command-center-stats.js';
export { useRelativeTime } from './react/use-relative-time.js';
export { usePulseContext, usePulseStatus } from './react/context.js';
export type { PulseStatus } from './react/context.js';
export { WASM_RETRY_MS } from './react/provider.js';
export { installDevtools } from './devtools/console.js';
export { statsSeedKey } from './snapshot-keys.js';
export type { TimelineEntry, RequestOutcome } from './timeline.js';
export type { ServerSnapshot } from './server-snapshot.js';
export * from './index.js';
