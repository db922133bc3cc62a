// The `{signal}` the driver passes to adapters, read like every other
// argument: absent, or an object whose `signal` is an AbortSignal.
import { objectFields, optionFields } from '../args.js';
import { pulseError } from '../errors.js';
import type { RequestOptions } from './types.js';

export function signalOption(options: RequestOptions | null | undefined): AbortSignal | undefined {
  const o = optionFields('options', options, ['signal']);
  if (o.signal === undefined || o.signal === null) return undefined;
  const s = objectFields('options.signal', o.signal, ['aborted', 'addEventListener']);
  if (typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function') {
    throw pulseError('invalid_argument', 'options.signal must be an AbortSignal');
  }
  return o.signal as AbortSignal;
}
