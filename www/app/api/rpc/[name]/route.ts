// The dashboard's RPC endpoint (PostgREST-shaped answers: {data, error}).
import { callRpc } from '@/lib/db';
import { validSiteId } from '@/lib/site';

export const dynamic = 'force-dynamic';

export async function POST(request: Request, context: { params: Promise<{ name: string }> }) {
  const { name } = await context.params;
  let params: Record<string, unknown>;
  try {
    params = (await request.json()) as Record<string, unknown>;
  } catch {
    return Response.json({ data: null, error: { code: 'PGRST102', message: 'body must be JSON' } }, { status: 400 });
  }
  if (!validSiteId(typeof params.p_site_id === 'string' ? params.p_site_id : null)) {
    return Response.json({ data: null, error: { code: '22023', message: 'p_site_id is not a site id' } }, { status: 400 });
  }
  const result = await callRpc(name, params);
  return Response.json(result, { status: result.error?.code === 'PGRST202' ? 404 : result.error ? 400 : 200 });
}
