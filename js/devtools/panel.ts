// The devtools panel, mountable in any page: a floating toggle that opens a
// sheet (or the panel inline), rendered into a shadow root so no style leaks
// either way. It shows what the driver did (lanes of request bars with why
// each went out, channel states, visible/online over time), the next wake
// as a countdown with its reason, counters and drops by reason, and controls
// that change what the engine does. React apps mount it with <PulseDevtools>
// (devtools-react.tsx); other pages call mountPulseDevtools(element, driver).
import { instanceArg, optionalFunctionArg } from '../args.js';
import { PulseDriver } from '../driver.js';
import { pulseError } from '../errors.js';
import type { TimelineEntry } from '../timeline.js';
import type { MergePolicy } from '../types.js';
import { h, fill } from './dom.js';
import { driverPolicy, driverZone, reconnectSite, refetchStats, registrations, type Registration } from './driver-view.js';
import { exportLog } from './export-log.js';
import { buildLanes, requestState, withPageState, type Bar, type Lane, type RequestEntry } from './lanes.js';
import { PANEL_CSS } from './panel-style.js';
import { withReadableTimes } from './readable-times.js';
import { duration, kindWords, reasonWords, shortSite, statusWords, wakeWords } from './words.js';
import { zoneCity, zonedClock, zonedIso } from './zoned-time.js';

export interface PulseDevtoolsOptions {
  /** `floating` (default): a toggle in the corner opens a sheet over the page; `inline`: the panel in place, always open. */
  mode?: 'floating' | 'inline';
  /** Floating mode: open at mount (default false). */
  initialOpen?: boolean;
  /** The zone of the times shown; default the engine's (the site's). */
  timeZone?: string;
  /** The view's clock, read by the refresh interval only (default `Date.now`). */
  now?: () => number;
}

export interface PulseDevtoolsHandle {
  open(): void;
  close(): void;
  /** Removes the panel and stops its refresh; idempotent. */
  unmount(): void;
}

/** How often the open panel redraws its cards (the countdown moves). */
const REFRESH_MS = 250;
/**
 * The lanes and the request list are redrawn when the timeline changes, and
 * the lanes also as the window slides, at most this often: rebuilding 500
 * bars every 250 ms cost a fifth of a core (npm run bench:devtools).
 */
const SLIDE_MS = 1_000;
/** Requests listed under the lanes, newest first (the timeline holds at most TIMELINE_CAPACITY). */
const LISTED = 200;
const TICKS = 6;
const SPANS = [
  { ms: 30_000, label: '30 s' },
  { ms: 60_000, label: '1 min' },
  { ms: 300_000, label: '5 min' },
] as const;
const POLICIES: ReadonlyArray<{ value: MergePolicy; label: string }> = [
  { value: 'db-truth', label: 'db-truth (default)' },
  { value: 'legacy-max', label: "legacy-max (the original's behaviour)" },
];
const ALL = '*';

let mounted = 0;

export function mountPulseDevtools(target: Element, driver: PulseDriver, options?: PulseDevtoolsOptions | null): PulseDevtoolsHandle {
  if (typeof Element === 'undefined' || !(target instanceof Element)) throw pulseError('invalid_argument', 'target must be a DOM element to mount the devtools panel in');
  const d = instanceArg('driver', driver, PulseDriver);
  const o = options ?? {};
  const mode = o.mode ?? 'floating';
  if (mode !== 'floating' && mode !== 'inline') throw pulseError('invalid_argument', `options.mode must be 'floating' or 'inline', got ${String(mode).slice(0, 64)}`);
  const now = optionalFunctionArg<() => number>('options.now', o.now) ?? (() => Date.now());
  const id = `pulse-devtools-${++mounted}`;

  let open = mode === 'inline' || o.initialOpen === true;
  let frozen: { entries: TimelineEntry[]; nowMs: number } | null = null;
  let spanMs: number = SPANS[1].ms;
  let statsChoice = ALL;
  let siteChoice = ALL;
  let optionsShown = '';
  let drawnKey = '';
  let lanesAt = -Infinity;

  const host = h('div', { 'data-pulse-devtools': mode });
  const shadow = host.attachShadow({ mode: 'open' });
  const zone = () => o.timeZone ?? driverZone(d);

  // ---- the parts that never change: controls keep focus across refreshes ----
  const press = (el: HTMLElement, on: boolean) => el.setAttribute('aria-pressed', String(on));
  const button = (label: string, testId: string, onclick: () => void, pressed?: boolean) =>
    h('button', { type: 'button', 'data-testid': testId, 'aria-pressed': pressed === undefined ? undefined : String(pressed), onclick }, label);

  const hiddenBtn = button('Simulate hidden tab', 'dt-hidden', () => d.simulate('hidden', !d.simulated().hidden), false);
  const offlineBtn = button('Simulate offline', 'dt-offline', () => d.simulate('offline', !d.simulated().offline), false);
  const statsSelect = h('select', { 'data-testid': 'dt-stats-key', onchange: () => (statsChoice = statsSelect.value) });
  const siteSelect = h('select', { 'data-testid': 'dt-site', onchange: () => (siteChoice = siteSelect.value) });
  const refetchBtn = button('Refetch', 'dt-refetch', () => refetchStats(d, statsChoice === ALL ? undefined : Number(statsChoice)));
  const reconnectBtn = button('Reconnect', 'dt-reconnect', () => reconnectSite(d, siteChoice === ALL ? undefined : siteChoice));
  const pauseBtn = button('Pause view', 'dt-pause', () => {
    frozen = frozen ? null : { entries: d.timeline(), nowMs: now() };
    redraw();
  }, false);
  const clearBtn = button('Clear log', 'dt-clear', () => {
    d.clearTimeline();
    if (frozen) frozen = { entries: [], nowMs: frozen.nowMs };
    redraw();
  });
  const exportBtn = button('Export JSON', 'dt-export', () => download(exportLog(d)));
  const spanGroup = h('div', { class: 'seg', role: 'group', 'aria-label': 'Timeline window' });
  const spanBtns = SPANS.map((s) => button(s.label, `dt-span-${s.ms}`, () => ((spanMs = s.ms), redraw()), s.ms === spanMs));
  spanGroup.append(...spanBtns);
  const policyGroup = h('div', { class: 'seg', role: 'group', 'aria-label': 'Merge policy', 'data-testid': 'dt-policy' });
  const policyBtns = POLICIES.map((p) => button(p.label, `dt-policy-${p.value}`, () => (d.setPolicy(p.value), refresh()), false));
  policyGroup.append(...policyBtns);
  const policyNote = h('span', { class: 'note' });

  const zoneLabel = h('span', { class: 'zone', 'data-testid': 'dt-zone' });
  const cards = h('dl', { class: 'cards' });
  const timelineTitle = h('h3', { id: `${id}-timeline` });
  const lanesBox = h('div', { class: 'lanes', 'data-testid': 'dt-timeline' });
  const listTitle = h('h4');
  const list = h('ol', { class: 'reqs', 'data-testid': 'dt-requests-list', 'aria-labelledby': `${id}-timeline` });
  const countersBox = h('dl', { class: 'pairs', 'data-testid': 'dt-counters' });
  const dropsBox = h('div');
  const raw = h('pre', { 'data-testid': 'dt-sites' });
  const rawDetails = h('details', {}, h('summary', {}, 'Raw engine state (debug(), its times also in the zone)'), raw);

  const closeBtn = mode === 'floating' ? button('Close', 'dt-close', () => setOpen(false)) : null;
  if (closeBtn) closeBtn.classList.add('close');
  const sheet = h(
    'div',
    { class: 'sheet', id: `${id}-sheet`, role: 'region', 'aria-label': 'Pulse devtools', hidden: !open },
    h('div', { class: 'head' }, h('h2', {}, 'Pulse devtools'), zoneLabel, closeBtn),
    h(
      'section',
      { 'aria-labelledby': `${id}-controls` },
      h('h3', { id: `${id}-controls` }, 'Controls'),
      h('div', { class: 'row', role: 'group', 'aria-label': 'Simulate' }, hiddenBtn, offlineBtn),
      h('div', { class: 'row', role: 'group', 'aria-label': 'Requests' }, h('label', {}, 'Stats key', statsSelect), refetchBtn, h('label', {}, 'Site', siteSelect), reconnectBtn),
      h('div', { class: 'row', role: 'group', 'aria-label': 'Log' }, pauseBtn, clearBtn, exportBtn, spanGroup),
      h('div', { class: 'row' }, policyGroup, policyNote),
    ),
    cards,
    h('section', { 'aria-labelledby': `${id}-timeline` }, timelineTitle, lanesBox, listTitle, list),
    h('section', { 'aria-labelledby': `${id}-counters` }, h('h3', { id: `${id}-counters` }, 'Counters'), countersBox, dropsBox),
    rawDetails,
  );
  const toggle = mode === 'floating' ? h('button', { type: 'button', class: 'toggle', 'data-testid': 'dt-toggle', 'aria-controls': `${id}-sheet`, 'aria-expanded': String(open), onclick: () => setOpen(!open) }, 'Pulse') : null;
  // Escape closes the floating sheet and gives focus back to its toggle.
  sheet.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || mode !== 'floating') return;
    setOpen(false);
    toggle?.focus();
  });
  const style = h('style', {}, PANEL_CSS);
  shadow.append(style, h('div', { class: `root ${mode}` }, toggle, sheet));
  target.append(host);

  function download(text: string): void {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = h('a', { href: url, download: 'pulse-devtools.json' });
    shadow.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  }

  function setOpen(next: boolean): void {
    if (mode === 'inline') return;
    open = next;
    sheet.hidden = !open;
    toggle?.setAttribute('aria-expanded', String(open));
    if (open) redraw();
  }

  /** Everything now, not at the next change or slide (opening, pausing, clearing, a new window). */
  function redraw(): void {
    drawnKey = '';
    refresh();
  }

  function syncChoices(regs: Registration[]): void {
    const stats = regs.filter((r) => r.kind === 'stats');
    const sites = [...new Set(regs.filter((r) => r.kind === 'realtime' && r.siteId).map((r) => r.siteId as string))];
    const shown = JSON.stringify([stats.map((r) => r.handle), sites]);
    if (shown === optionsShown) return; // an open <select> is not rebuilt under the pointer
    optionsShown = shown;
    const keyLabel = (r: Registration) => `#${r.handle} ${shortSite(r.siteId ?? '')} ${r.range?.kind === 'fixed' ? 'fixed range' : 'today'}${r.adsOnly ? ' ads' : ''}`;
    fill(statsSelect, h('option', { value: ALL }, `all (${stats.length})`), ...stats.map((r) => h('option', { value: String(r.handle) }, keyLabel(r))));
    fill(siteSelect, h('option', { value: ALL }, `all (${sites.length})`), ...sites.map((s) => h('option', { value: s }, shortSite(s))));
    if (![ALL, ...stats.map((r) => String(r.handle))].includes(statsChoice)) statsChoice = ALL;
    if (![ALL, ...sites].includes(siteChoice)) siteChoice = ALL;
    statsSelect.value = statsChoice;
    siteSelect.value = siteChoice;
  }

  function refresh(): void {
    if (!open || d.disposed) return;
    const t = now();
    const debug = d.engine.debug();
    const counters = d.engine.counters();
    const tz = zone();
    const sim = d.simulated();
    press(hiddenBtn, sim.hidden);
    press(offlineBtn, sim.offline);
    press(pauseBtn, frozen !== null);
    pauseBtn.textContent = frozen ? 'Resume view' : 'Pause view';
    SPANS.forEach((s, i) => press(spanBtns[i]!, s.ms === spanMs));
    const policy = driverPolicy(d, debug);
    POLICIES.forEach((p, i) => press(policyBtns[i]!, p.value === policy));
    policyNote.textContent = policy === 'legacy-max'
      ? 'Shows max(DB, live event counters): page views count as sealed leads. For comparison with the original only.'
      : 'Figures come from the database; live counters are shown beside them.';
    zoneLabel.textContent = `Times in ${zoneCity(tz)} time (${tz}, UTC${(zonedIso(t, tz) ?? '+00:00').slice(-6)})`;
    syncChoices(registrations(d, debug));

    const requests = Object.values(counters.requests).reduce((a, b) => a + b, 0);
    const timers = Array.isArray(debug.timers) ? (debug.timers as Array<{ atMs: number; wake: unknown }>) : [];
    const next = timers.filter((x) => typeof x?.atMs === 'number').sort((a, b) => a.atMs - b.atMs)[0];
    const sites = Array.isArray(debug.sites) ? (debug.sites as Array<{ siteId: string; connection: string }>) : [];
    const card = (label: string, testId: string, value: string, hint: string) =>
      h('div', { class: 'card' }, h('dt', {}, label), h('dd', { class: 'value', 'data-testid': testId }, value), h('dd', { class: 'hint' }, hint));
    fill(
      cards,
      card('Requests', 'dt-requests', String(requests), `${counters.timeouts} timed out`),
      card('Next wake', 'dt-next-wake', next ? `in ${duration(Math.max(0, next.atMs - t))}` : 'nothing armed',
        next ? `${wakeWords(next.wake)} · at ${zonedClock(next.atMs, tz)}` : 'the engine sleeps until an input arrives'),
      card('Realtime', 'dt-connection', sites.length ? sites.map((s) => statusWords(s.connection)).join(', ') : 'no channel',
        sites.map((s) => `${shortSite(s.siteId)} ${s.connection}`).join(' · ') || 'no realtime interest'),
      card('Page', 'dt-page', `${debug.visible === false ? 'hidden' : 'visible'} · ${debug.online === false ? 'offline' : 'online'}`,
        sim.hidden || sim.offline ? 'simulated' : 'as the browser says'),
    );

    const entries = frozen?.entries ?? d.timeline();
    const viewNow = frozen?.nowMs ?? t;
    timelineTitle.textContent = `Timeline${frozen ? ' (paused)' : ''}`;
    const key = `${tz}|${spanMs}|${debug.visible}|${debug.online}|${timelineKey(entries)}`;
    if (key !== drawnKey || Math.abs(viewNow - lanesAt) >= SLIDE_MS) {
      const drawn = withPageState(entries, debug.visible !== false, debug.online !== false, viewNow - spanMs);
      drawLanes(buildLanes(drawn, viewNow - spanMs, viewNow), viewNow, tz);
      lanesAt = viewNow;
    }
    if (key !== drawnKey) {
      const reqs = entries.filter((e): e is RequestEntry => e.type === 'request').reverse();
      listTitle.textContent = `Requests, newest first (${reqs.length})`;
      fill(list, ...reqs.slice(0, LISTED).map((e) => requestItem(e, tz)));
      drawnKey = key;
    }

    const pairs = (rows: Array<[string, number]>) => h('dl', { class: 'pairs' }, ...rows.map(([k, n]) => h('div', {}, h('dt', {}, k), h('dd', {}, String(n)))));
    fill(
      countersBox,
      ...Object.entries(counters.requests).map(([k, n]) => h('div', {}, h('dt', {}, `${kindWords(k)} requests`), h('dd', { 'data-kind': k }, String(n)))),
      h('div', {}, h('dt', {}, 'Wakeups'), h('dd', {}, String(counters.wakeups))),
      h('div', {}, h('dt', {}, 'Payloads received'), h('dd', {}, String(counters.payloads.received))),
      h('div', {}, h('dt', {}, 'accepted'), h('dd', {}, String(counters.payloads.accepted))),
      h('div', {}, h('dt', {}, 'waiting on a lookup'), h('dd', {}, String(counters.payloads.pending))),
      h('div', {}, h('dt', {}, 'Stale responses dropped'), h('dd', {}, String(counters.dropped.responses))),
    );
    const drops = Object.entries(counters.dropped.payloads).filter(([, n]) => n > 0).map(([k, n]) => [k.replace(/_/g, ' '), n] as [string, number]);
    const commands = Object.entries(counters.dropped.commands).filter(([, n]) => n > 0).map(([k, n]) => [k, n] as [string, number]);
    fill(
      dropsBox,
      h('h4', {}, 'Payloads dropped, by reason'),
      drops.length ? h('div', { 'data-testid': 'dt-drops' }, pairs(drops)) : h('p', { class: 'muted' }, 'None.'),
      commands.length ? h('h4', {}, 'Commands dropped from a full queue') : null,
      commands.length ? pairs(commands) : null,
    );
    if (rawDetails.open) raw.textContent = JSON.stringify(withReadableTimes(debug, tz), null, 2);
  }

  function drawLanes(lanes: Lane[], viewNow: number, tz: string): void {
    const axis = h('div', { class: 'lane axis', 'aria-hidden': 'true' }, h('span', { class: 'lane-label' }),
      h('span', { class: 'track' }, ...Array.from({ length: TICKS + 1 }, (_, i) =>
        h('span', { class: 'tick', style: `left:${(i / TICKS) * 100}%` }, zonedClock(viewNow - spanMs + (spanMs * i) / TICKS, tz)))));
    fill(
      lanesBox,
      axis,
      ...lanes.map((lane) => h('div', { class: 'lane', 'data-testid': 'dt-lane', 'data-lane': lane.id },
        h('span', { class: 'lane-label' }, laneLabel(lane)),
        h('span', { class: 'track' }, ...lane.bars.map((bar) => barElement(lane, bar, viewNow, tz))))),
      lanes.length === 0 ? h('p', { class: 'muted' }, 'Nothing recorded yet.') : null,
    );
  }

  const timer = setInterval(refresh, REFRESH_MS);
  refresh();
  let gone = false;
  return {
    open: () => setOpen(true),
    close: () => setOpen(false),
    unmount() {
      if (gone) return;
      gone = true;
      clearInterval(timer);
      host.remove();
    },
  };
}

/** Changes when the timeline does: an entry added or dropped, a request ended or timed out. */
function timelineKey(entries: readonly TimelineEntry[]): string {
  let ended = 0;
  let timedOut = 0;
  for (const e of entries) {
    if (e.type !== 'request') continue;
    if (e.endMs !== null) ended++;
    if (e.outcome === 'timeout') timedOut++;
  }
  const first = entries[0];
  const firstAt = first ? (first.type === 'request' ? first.startMs : first.atMs) : 0;
  return `${entries.length}|${firstAt}|${ended}|${timedOut}`;
}

function laneLabel(lane: Lane): string {
  if (lane.group === 'page') return lane.kind === 'visible' ? 'Tab visible' : 'Online';
  if (lane.group === 'channel') return `Realtime ${shortSite(lane.siteId ?? '')}`;
  return `${kindWords(lane.kind)} ${shortSite(lane.siteId ?? '')}`;
}

function barTitle(bar: Bar, viewNow: number, tz: string): string {
  const e = bar.entry;
  if (!e) {
    const what = bar.state === 'on' || bar.state === 'off' ? bar.state : statusWords(bar.state);
    return `${what} from ${zonedClock(bar.startMs, tz)}${bar.endMs === null ? ' until now' : ` to ${zonedClock(bar.endMs, tz)}`}`;
  }
  const took = (e.endMs ?? viewNow) - e.startMs;
  return `${kindWords(e.kind)} #${e.id} ${e.name}: ${reasonWords(e.reason)}; ${zonedClock(e.startMs, tz, true)}, ${e.endMs === null ? `in flight ${duration(took)}` : `${requestState(e)} in ${duration(took)}`}`;
}

function barElement(lane: Lane, bar: Bar, viewNow: number, tz: string): HTMLElement {
  return h('span', {
    class: `bar ${lane.group} s-${bar.state}`,
    title: barTitle(bar, viewNow, tz),
    'data-testid': bar.entry ? 'dt-bar' : undefined,
    'data-request-id': bar.entry?.id,
    'data-reason': bar.entry?.reason,
    'data-outcome': bar.entry ? requestState(bar.entry) : undefined,
    style: `left:${bar.from * 100}%;width:max(3px, ${(bar.to - bar.from) * 100}%)`,
  });
}

function requestItem(e: RequestEntry, tz: string): HTMLElement {
  const state = requestState(e);
  return h('li', { 'data-request-id': e.id, 'data-kind': e.kind, 'data-name': e.name, 'data-reason': e.reason, 'data-outcome': state },
    h('span', { class: 'mono' }, zonedClock(e.startMs, tz, true)),
    h('span', {}, kindWords(e.kind)),
    h('span', { class: 'why' }, reasonWords(e.reason)),
    h('span', { class: 'mono' }, e.endMs === null ? 'in flight' : duration(e.endMs - e.startMs)),
    h('span', { class: `chip ${state}` }, state.replace('_', ' ')));
}
