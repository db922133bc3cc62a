// GET /api/demo/hourly?siteId=…&scope=all|ads — calls and events per local
// hour, today and yesterday, for the dashboard's chart (lib/hourly.ts).
import { guard } from '@/lib/guard';
import { hourlySeries } from '@/lib/hourly-query';
import { DEMO_TIME_ZONE, serverNow, siteIdParam } from '@/lib/site';

export const dynamic = 'force-dynamic';

export const GET = guard('demo/hourly', async (request: Request) => {
  const siteId = siteIdParam(request);
  const scopes = new URL(request.url).searchParams.getAll('scope');
  const scope = scopes.length === 0 ? 'all' : scopes.length === 1 ? scopes[0] : null;
  if (siteId === null) return Response.json({ error: 'siteId must be one site id' }, { status: 400 });
  if (scope !== 'all' && scope !== 'ads') return Response.json({ error: "scope must be 'all' or 'ads'" }, { status: 400 });
  const body = await hourlySeries(siteId, DEMO_TIME_ZONE, serverNow(), scope === 'ads');
  return Response.json(body, { headers: { 'cache-control': 'no-store' } });
});
