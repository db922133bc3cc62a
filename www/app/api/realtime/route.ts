// GET /api/realtime?siteId=… — server-sent events in the postgres_changes
// shape, fed by Postgres LISTEN/NOTIFY (the demo's stand-in for Supabase Realtime).
import { db } from '@/lib/db';
import { guard } from '@/lib/guard';
import { siteIdParam } from '@/lib/site';
import { trackStream } from '@/lib/sse-streams';

export const dynamic = 'force-dynamic';

export const GET = guard('realtime', async (request: Request) => {
  const siteId = siteIdParam(request);
  if (siteId === null) return new Response('siteId must be one site id', { status: 400 });
  const { changes } = await db();
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const onChange = (payload: string) => {
        // Scope like the channel filter: only this site's rows.
        try {
          const parsed = JSON.parse(payload) as { new?: { site_id?: unknown } };
          if (parsed.new?.site_id !== undefined && parsed.new.site_id !== siteId) return;
        } catch {
          return;
        }
        send(`data: ${payload}\n\n`);
      };
      const keepAlive = setInterval(() => send(': keep-alive\n\n'), 15_000);
      changes.on('change', onChange);
      // The client went away, or a test drops every stream (lib/sse-streams.ts): what
      // was enqueued still goes out, then the response ends and the browser sees an error.
      const end = () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      const untrack = trackStream(end);
      cleanup = () => {
        clearInterval(keepAlive);
        changes.off('change', onChange);
        untrack();
      };
      request.signal.addEventListener('abort', end);
      send(': connected\n\n');
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' } });
});
