// The issue's goals for the page (issue 12 part 3), checked on the pulse
// figures of bench:page, and the issue's measurement of the real upstream
// code that model (b) is held against.

/** The real upstream on the busy page, as the issue measured it. */
export const ISSUE_UPSTREAM_BUSY = { requestsPerMin: 12.8, lookupsPerMin: 11.9 };

export function checkGoals(results) {
  const goals = [];
  const goal = (name, value, limit, pass) => goals.push({ name, value, goal: limit, pass });
  const quiet = results.quiet.pulse.requestsPerMin;
  goal('quiet page: requests/min', quiet, '<= 1.5', quiet <= 1.5);
  const calls = results.mixed.pulse.calls;
  goal('mixed traffic: stats RPCs per calls change', calls.statsRpcsPerChange, '<= 1.2', calls.statsRpcsPerChange <= 1.2);
  goal('mixed traffic: stats shown after each calls change, max ms', calls.maxDelayMs, '<= 3000', calls.maxDelayMs <= 3000);
  for (const name of ['hidden-quiet', 'hidden-mixed']) {
    const n = results[name].pulse.requestsWhileHidden;
    goal(`${name}: requests while hidden`, n, '0', n === 0);
  }
  return goals;
}
