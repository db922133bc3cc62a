// Every route handler runs inside `guard`: an exception becomes a 500 with a
// fixed message (the error's own text may quote the request), logged clipped,
// so nothing a client sends can surface as a crash or an echo.
import { errorText } from './clip';

const internalError = () => Response.json({ ok: false, error: 'internal error' }, { status: 500 });

export function guard<A extends unknown[]>(
  route: string,
  handler: (...args: A) => Promise<Response>,
  onError: () => Response = internalError,
): (...args: A) => Promise<Response> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (err) {
      console.error(`[demo] ${route}: ${errorText(err)}`);
      return onError();
    }
  };
}
