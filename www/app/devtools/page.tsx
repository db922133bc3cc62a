import { Devtools } from './devtools';
import { loadPageData } from '@/lib/server-data';
import { DEMO_SITE_ID } from '@/lib/site';

export const dynamic = 'force-dynamic';

export default async function DevtoolsPage() {
  const data = await loadPageData();
  return <Devtools siteId={DEMO_SITE_ID} snapshot={data.snapshot} />;
}
