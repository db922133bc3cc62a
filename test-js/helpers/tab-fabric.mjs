// An in-process stand-in for the browser's Web Locks and BroadcastChannel
// across the tabs of one origin, faithful where cross-tab coordination
// depends on it: an exclusive lock is held until its callback's promise
// settles, waiters are granted in request order, `steal` takes the lock and
// rejects the holder's request with AbortError, an aborted signal leaves the
// queue; a message is a structured clone delivered in its own task, in post
// order, to every other open channel of the name (never to the sender). A
// tab that closes (or crashes) loses its locks and channels at once, as a
// browser tab does. Deterministic: no clock, only task order.

const abortError = () => Object.assign(new Error('The lock request was aborted'), { name: 'AbortError' });

export function tabFabric() {
  /** name -> { holder: request | null, queue: request[] } */
  const locks = new Map();
  /** open channels, in creation order */
  const channels = [];
  const stats = { posted: 0, delivered: 0 };

  function lockState(name) {
    if (!locks.has(name)) locks.set(name, { holder: null, queue: [] });
    return locks.get(name);
  }

  function grantNext(name) {
    const state = lockState(name);
    if (state.holder || state.queue.length === 0) return;
    grant(state, state.queue.shift());
  }

  function grant(state, req) {
    state.holder = req;
    req.granted = true;
    // The callback runs in a later task, as the browser grants.
    setImmediate(() => {
      if (req.tab.closed || state.holder !== req) return;
      let result;
      try {
        result = Promise.resolve(req.callback({ name: req.name, mode: 'exclusive' }));
      } catch (err) {
        result = Promise.reject(err);
      }
      result.then(
        (value) => release(state, req, () => req.resolve(value)),
        (err) => release(state, req, () => req.reject(err)),
      );
    });
  }

  function release(state, req, settle) {
    if (state.holder !== req) return; // stolen or the tab closed: already settled or gone
    state.holder = null;
    settle();
    grantNext(req.name);
  }

  function tab(label = `tab${channels.length}`) {
    const self = { label, closed: false, held: new Set(), channels: new Set() };

    const lockManager = {
      request(name, optionsOrCallback, maybeCallback) {
        const options = typeof optionsOrCallback === 'function' ? {} : (optionsOrCallback ?? {});
        const callback = typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback;
        return new Promise((resolve, reject) => {
          if (self.closed) return; // a closed tab's promises never settle
          if (options.signal?.aborted) return reject(abortError());
          const req = { name, callback, resolve, reject, tab: self, granted: false };
          const state = lockState(name);
          if (options.steal) {
            const holder = state.holder;
            state.holder = null;
            if (holder) holder.reject(abortError());
            grant(state, req);
            return;
          }
          state.queue.push(req);
          options.signal?.addEventListener('abort', () => {
            const at = state.queue.indexOf(req);
            if (at < 0) return;
            state.queue.splice(at, 1);
            reject(abortError());
          });
          grantNext(name);
        });
      },
    };

    class BroadcastChannel {
      constructor(name) {
        this.name = name;
        this.onmessage = null;
        this.closed = false;
        this.tab = self;
        channels.push(this);
        self.channels.add(this);
      }
      postMessage(data) {
        if (this.closed) throw Object.assign(new Error('channel is closed'), { name: 'InvalidStateError' });
        stats.posted++;
        const clone = structuredClone(data);
        const targets = channels.filter((c) => c !== this && c.name === this.name && !c.closed);
        setImmediate(() => {
          // A tab that crashed before the task ran never got its message out.
          if (self.closed) return;
          for (const c of targets) {
            if (c.closed) continue;
            stats.delivered++;
            c.onmessage?.({ data: structuredClone(clone) });
          }
        });
      }
      close() {
        this.closed = true;
        self.channels.delete(this);
        const at = channels.indexOf(this);
        if (at >= 0) channels.splice(at, 1);
      }
    }

    return {
      label,
      locks: lockManager,
      BroadcastChannel,
      environment: { locks: lockManager, openChannel: (name) => new BroadcastChannel(name) },
      /** The tab closes or crashes: its locks go to the next waiters, its channels stop receiving. */
      close() {
        self.closed = true;
        for (const c of [...self.channels]) c.close();
        for (const [name, state] of locks) {
          state.queue = state.queue.filter((r) => r.tab !== self);
          if (state.holder?.tab === self) {
            state.holder = null;
            grantNext(name);
          }
        }
      },
      get closed() { return self.closed; },
    };
  }

  return {
    tab,
    stats,
    /** Who holds a lock (the tab's label), for assertions. */
    holder: (name) => locks.get(name)?.holder?.tab.label ?? null,
    /** Posts from outside any tab (a foreign script on the same channel name). */
    inject(name, data) {
      for (const c of channels.filter((ch) => ch.name === name && !ch.closed)) setImmediate(() => c.onmessage?.({ data: structuredClone(data) }));
    },
  };
}
