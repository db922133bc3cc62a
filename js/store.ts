// A framework-free store of registration snapshots. Listeners attach per
// handle; `subscribe` returns its own unsubscribe (TanStack Query's pattern),
// and a snapshot object keeps its identity until the engine's version for
// that handle moves, so useSyncExternalStore re-renders only on change.
import { countArg, functionArg, handleArg } from './args.js';
import type { RegistrationSnapshot } from './types.js';

type Listener = () => void;

export class PulseStore {
  readonly #snapshots = new Map<number, { version: number; value: RegistrationSnapshot | null }>();
  readonly #listeners = new Map<number, Set<Listener>>();
  readonly #any = new Set<Listener>();

  get(handle: number): RegistrationSnapshot | null {
    return this.#snapshots.get(handleArg('handle', handle))?.value ?? null;
  }

  version(handle: number): number {
    return this.#snapshots.get(handleArg('handle', handle))?.version ?? 0;
  }

  /** Stores a newer snapshot and tells that handle's listeners (and the any-listeners). */
  set(handle: number, version: number, value: RegistrationSnapshot | null): void {
    this.#snapshots.set(handleArg('handle', handle), { version: countArg('version', version), value });
    for (const l of this.#listeners.get(handle) ?? []) l();
    for (const l of this.#any) l();
  }

  delete(handle: number): void {
    handleArg('handle', handle);
    this.#snapshots.delete(handle);
    this.#listeners.delete(handle);
  }

  subscribe(handle: number, listener: Listener): () => void {
    handleArg('handle', handle);
    functionArg('listener', listener);
    let set = this.#listeners.get(handle);
    if (!set) this.#listeners.set(handle, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Every change of every handle (devtools). */
  subscribeAll(listener: Listener): () => void {
    this.#any.add(functionArg('listener', listener));
    return () => {
      this.#any.delete(listener);
    };
  }

  handles(): number[] {
    return [...this.#snapshots.keys()];
  }
}
