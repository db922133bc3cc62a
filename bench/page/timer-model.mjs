// Runs a set of modelled timers (`{next, kind, fire(t)}`, `fire` returning how
// many requests of `kind` that firing sent and setting `next`, null to stop) in time order
// until `until`: the loop behind both upstream models, each timer standing
// for one of a hook's own setInterval/setTimeout loops.

/** Returns the instants of every wakeup, and every request sent as `{at, kind}`. */
export function runTimers(timers, until) {
  const wakeups = [];
  const requests = [];
  for (;;) {
    let due = null;
    for (const timer of timers) if (timer.next !== null && (due === null || timer.next < due.next)) due = timer;
    if (due === null || due.next >= until) break;
    const t = due.next;
    wakeups.push(t);
    for (let n = due.fire(t); n > 0; n--) requests.push({ at: t, kind: due.kind });
  }
  return { wakeups, requests };
}
