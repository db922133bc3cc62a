// What cross-tab coordination needs from the browser: the Web Locks API and
// BroadcastChannel, as the small surfaces used here, so tests and the page
// benchmark can pass an in-process fabric (test-js/helpers/tab-fabric.mjs).

export interface LockOptions {
  /** Take the lock from its holder now (the holder's request rejects with AbortError). */
  steal?: boolean;
  /** Leave the queue when this aborts. */
  signal?: AbortSignal;
}

/** `navigator.locks`: the lock is held until the callback's promise settles. */
export interface LockManagerLike {
  request(name: string, options: LockOptions, callback: (lock: unknown) => unknown): Promise<unknown>;
}

/** A `BroadcastChannel`: delivers to the other tabs' channels of the same name, never to itself. */
export interface ChannelLike {
  postMessage(data: unknown): void;
  close(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export interface CrossTabEnvironment {
  locks: LockManagerLike;
  openChannel(name: string): ChannelLike;
}

/** The page's own locks and channels, or undefined where either is missing (the tab then runs alone). */
export function browserEnvironment(): CrossTabEnvironment | undefined {
  const g = globalThis as { navigator?: { locks?: LockManagerLike }; BroadcastChannel?: new (name: string) => ChannelLike };
  const locks = g.navigator?.locks;
  const Channel = g.BroadcastChannel;
  if (!locks || typeof locks.request !== 'function' || typeof Channel !== 'function') return undefined;
  return { locks, openChannel: (name) => new Channel(name) };
}
