// The demo's one site, and the id check every route applies before an id
// reaches SQL, a Redis key or a channel.
export const DEMO_SITE_ID = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';
export const DEMO_TIME_ZONE = 'Europe/Istanbul';

const SITE_ID = /^[A-Za-z0-9_-]{3,64}$/;

export function validSiteId(value: string | null): value is string {
  return value !== null && SITE_ID.test(value);
}

/** The request's one `siteId` query parameter, or null when it is absent, repeated or not a site id. */
export function siteIdParam(request: Request): string | null {
  const all = new URL(request.url).searchParams.getAll('siteId');
  return all.length === 1 && validSiteId(all[0]!) ? all[0]! : null;
}

/** The server's clock for this request; `PULSE_NOW` (ISO) pins it for tests. */
export function serverNow(): number {
  const pinned = process.env.PULSE_NOW ? Date.parse(process.env.PULSE_NOW) : NaN;
  return Number.isNaN(pinned) ? Date.now() : pinned;
}
