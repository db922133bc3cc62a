// The one way the TS layer throws: a plain Error with the package's `kind`
// property, like the Errors the Rust core throws across the boundary, so
// callers can branch on `err.kind` whichever side refused the input.
import type { PulseError, PulseErrorKind } from './types.js';

/** A thrown Error with the package's `kind` property. */
export function pulseError(kind: PulseErrorKind, message: string): PulseError {
  return Object.assign(new Error(message), { kind });
}

/** Use after `free()`/`dispose()`: the wasm memory behind `what` is gone. */
export function disposedError(what: string): PulseError {
  return pulseError('disposed', `${what} was freed (free() or dispose() was called); create a new one`);
}
