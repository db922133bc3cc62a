// Entry `opsmantik-pulse/devtools`, framework-free: `window.__PULSE__` for the
// console (installDevtools) and the panel for any page (mountPulseDevtools).
// React apps mount the panel with <PulseDevtools> from
// `opsmantik-pulse/devtools/react`. Nothing here is imported by the other
// entries, so apps that do not import it do not ship it.
export { installDevtools, HELP_LINES } from './devtools/console.js';
export type { PulseDevtools } from './devtools/console.js';
export { mountPulseDevtools } from './devtools/panel.js';
export type { PulseDevtoolsHandle, PulseDevtoolsOptions } from './devtools/panel.js';
export { withReadableTimes, isInstantField } from './devtools/readable-times.js';
export { zonedIso } from './devtools/zoned-time.js';
