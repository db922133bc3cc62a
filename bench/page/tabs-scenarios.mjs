// bench:page's 3-tab scenarios (issue 15): the mixed-traffic page in three
// tabs, against the same page in one tab alone. Goals: 3 visible tabs and
// 1 visible + 2 hidden send at most 1.15x one tab's requests over exactly one
// realtime connection; all hidden send nothing; the leader closed at a random
// moment: a new connection within 1 s, no callback missed or fired twice in
// the surviving tabs.
import { runTabsPage } from './tabs-page.mjs';
import { seededRandom } from './random.mjs';

export async function tabScenarios({ makeTraffic, start, end, minutes, drainMs, latencyMs, subscribeMs }) {
  const inRun = (r) => r.at >= start && r.at < end;
  const run = async (visible, extra = {}) => {
    const traffic = makeTraffic('mixed', { start, minutes });
    const r = await runTabsPage({ traffic, start, end, drainMs, visible, latencyMs, subscribeMs, ...extra });
    return { ...r, counted: r.requests.filter(inRun).length };
  };
  const one = await run([true], { alone: true });
  const rand = seededRandom(15);
  const closeLeaderAt = start + Math.floor((1 + rand.next() * (minutes - 2)) * 60_000);
  const scenarios = {
    'one tab (alone)': one,
    '3 visible': await run([true, true, true]),
    '1 visible + 2 hidden': await run([false, true, false]),
    'all hidden': await run([false, false, false]),
    'leader closed': await run([true, true, true], { closeLeaderAt }),
  };
  const lines = [];
  for (const [name, r] of Object.entries(scenarios)) {
    lines.push(`  ${name.padEnd(21)} ${String(r.counted).padStart(4)} requests (${(r.counted / one.counted).toFixed(3)}x one tab), `
      + `${r.opened} connection(s) opened, max ${r.maxOpen} open, roles ${r.roles.join('/')}, onCallCreated missed ${r.missed} duplicated ${r.duplicated} of ${r.calls} calls`
      + (r.reopenedAfterMs === null ? '' : `, new connection ${r.reopenedAfterMs} ms after the leader closed at +${((closeLeaderAt - start) / 1000).toFixed(1)} s`));
  }
  const goals = [];
  const goal = (name, value, limit, pass) => goals.push({ name, value, goal: limit, pass });
  for (const name of ['3 visible', '1 visible + 2 hidden']) {
    const r = scenarios[name];
    goal(`3 tabs, ${name}: requests vs one tab`, Number((r.counted / one.counted).toFixed(3)), '<= 1.15', r.counted <= 1.15 * one.counted);
    goal(`3 tabs, ${name}: realtime connections open at once`, r.maxOpen, '1', r.maxOpen === 1);
  }
  goal('3 tabs, all hidden: requests', scenarios['all hidden'].counted, '0', scenarios['all hidden'].counted === 0);
  const closed = scenarios['leader closed'];
  goal('3 tabs, leader closed: new connection after, ms', closed.reopenedAfterMs, '<= 1000', closed.reopenedAfterMs !== null && closed.reopenedAfterMs <= 1000);
  goal('3 tabs, leader closed: callbacks missed + duplicated', closed.missed + closed.duplicated, '0', closed.missed + closed.duplicated === 0);
  return { lines, goals, figures: Object.fromEntries(Object.entries(scenarios).map(([k, r]) => [k, { requests: r.counted, opened: r.opened, maxOpen: r.maxOpen, missed: r.missed, duplicated: r.duplicated, reopenedAfterMs: r.reopenedAfterMs }])) };
}
