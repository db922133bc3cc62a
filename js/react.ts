// React entry. The hooks (useRealtimeDashboard, useCommandCenterP0Stats,
// PulseProvider) land with the TypeScript driver; until then this entry
// exposes the pure functions so imports can already point here.
export * from './index.js';
