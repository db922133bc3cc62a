import { Dashboard } from './dashboard';
import { loadPageData } from '@/lib/server-data';
import { DEMO_SITE_ID } from '@/lib/site';

export const dynamic = 'force-dynamic';

export default async function Page() {
  const data = await loadPageData();
  return <Dashboard siteId={DEMO_SITE_ID} snapshot={data.snapshot} initialCalls={data.calls} initialHourly={data.hourly} />;
}
