// GET /api/stats/realtime?siteId=… — the original contract: {captured, gclid, junk},
// or {captured: 0, gclid: 0, junk: 0, _fallback: true} when the counter store fails.
import { dateKeyAt } from 'opsmantik-pulse/node';
import { readOverlay } from '@/lib/overlay-store';
import { DEMO_TIME_ZONE, serverNow, validSiteId } from '@/lib/site';

export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  const siteId = new URL(request.url).searchParams.get('siteId');
  if (!validSiteId(siteId)) return Response.json({ error: 'siteId must be a site id' }, { status: 400 });
  const body = await readOverlay(siteId, dateKeyAt(serverNow(), DEMO_TIME_ZONE));
  return Response.json(body, { headers: { 'cache-control': 'no-store' } });
}
