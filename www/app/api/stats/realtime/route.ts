// GET /api/stats/realtime?siteId=… — the original contract: {captured, gclid, junk},
// or {captured: 0, gclid: 0, junk: 0, _fallback: true} when the counter store fails.
import { dateKeyAt } from 'opsmantik-pulse/node';
import { guard } from '@/lib/guard';
import { readOverlay } from '@/lib/overlay-store';
import { DEMO_TIME_ZONE, serverNow, siteIdParam } from '@/lib/site';

export const dynamic = 'force-dynamic';

export const GET = guard('stats/realtime', async (request: Request) => {
  const siteId = siteIdParam(request);
  if (siteId === null) return Response.json({ error: 'siteId must be one site id' }, { status: 400 });
  const body = await readOverlay(siteId, dateKeyAt(serverNow(), DEMO_TIME_ZONE));
  return Response.json(body, { headers: { 'cache-control': 'no-store' } });
});
