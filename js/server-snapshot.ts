// The ServerSnapshot type without importing the Node entry (browser bundles import this).
export type { ServerSnapshot, ServerStats } from './server.js';
