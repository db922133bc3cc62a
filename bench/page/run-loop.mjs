// The page benchmarks' loop through simulated time: jump to the earliest of
// the next outside input and the next pending callback, run it inside `act`
// so React commits what it caused, let the promise chains it started settle,
// repeat until `until`. An input and a timer at the same instant: the input
// first (it came from outside).
export async function runSimulated({ sim, inputs, until, act, settle, onWakeup = () => {}, afterStep = () => {} }) {
  let next = 0;
  for (;;) {
    const inputAt = next < inputs.length ? inputs[next].at : Infinity;
    const timerAt = sim.nextAt();
    const at = Math.min(inputAt, timerAt);
    if (at >= until) break;
    await act(async () => {
      if (inputAt <= timerAt) {
        sim.moveTo(inputAt);
        inputs[next++].apply();
      } else if (sim.fireNext() === 'page') {
        onWakeup(at);
      }
      await settle();
    });
    afterStep();
  }
}
