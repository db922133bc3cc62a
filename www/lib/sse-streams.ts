// The open realtime (SSE) streams, so a test can drop them all the way a
// restarting server or a load balancer would, and watch the page reconnect
// and catch up. Only streams that are open are held: each one removes itself
// when it ends, however it ends.

type Close = () => void;

// On globalThis: Next bundles each route separately, and the realtime route
// and the close route must see one set (lib/db.ts does the same).
const globalForStreams = globalThis as unknown as { __pulseSseStreams?: Set<Close> };
const streams = (globalForStreams.__pulseSseStreams ??= new Set<Close>());

/** Holds `close` while its stream is open; the returned function forgets it. */
export function trackStream(close: Close): () => void {
  streams.add(close);
  return () => {
    streams.delete(close);
  };
}

/** Ends every open stream; returns how many there were. */
export function closeAllStreams(): number {
  // A copy: each close removes its stream from the set.
  const open = [...streams];
  for (const close of open) close();
  return open.length;
}

/**
 * Routes that exist only for tests answer only when the server was started
 * with `PULSE_DEMO_TEST_HOOKS=1` (read per request, never baked into the build).
 */
export function testHooksEnabled(): boolean {
  return process.env.PULSE_DEMO_TEST_HOOKS === '1';
}
