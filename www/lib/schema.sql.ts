// Tables, the RPCs the dashboard calls (SQL versions of the production ones:
// half-open [from, to) ranges, ads-only via click ids / paid utm), and
// triggers that publish every change in the postgres_changes shape.
export const SCHEMA_SQL = `
create table if not exists sites (id text primary key, name text not null, time_zone text not null default 'Europe/Istanbul');

create table if not exists sessions (
  id text primary key, site_id text not null references sites(id), created_at timestamptz not null default now(),
  gclid text, wbraid text, gbraid text, utm_source text, utm_medium text, attribution_source text, landing_page text);

create table if not exists events (
  id bigserial primary key, site_id text not null references sites(id), session_id text, created_at timestamptz not null default now(),
  event_category text not null, event_action text not null, gclid text, metadata jsonb);

create table if not exists calls (
  id text primary key, site_id text not null references sites(id), created_at timestamptz not null default now(),
  status text not null default 'intent', matched_session_id text, phone text, is_junk boolean not null default false,
  sealed_at timestamptz, oci_status text,
  -- Copied from the matched session when the call is made, so the row that reaches the page
  -- (live, replayed or listed) says where the caller came from without a second query.
  source text, click_id text);

create index if not exists calls_site_created on calls(site_id, created_at);
create index if not exists events_site_created on events(site_id, created_at);

create or replace function session_is_ads(s sessions) returns boolean language sql immutable as $$
  select coalesce(nullif(trim(s.gclid), ''), nullif(trim(s.wbraid), ''), nullif(trim(s.gbraid), '')) is not null
      or lower(coalesce(s.utm_medium, '')) in ('cpc', 'ppc', 'paid', 'paidsearch', 'paid_search', 'ads')
$$;

create or replace function get_command_center_p0_stats_v2(p_site_id text, p_date_from timestamptz, p_date_to timestamptz, p_ads_only boolean)
returns jsonb language sql stable as $$
  with c as (
    select calls.*, s.gclid as session_gclid
    from calls left join sessions s on s.id = calls.matched_session_id
    where calls.site_id = p_site_id and calls.created_at >= p_date_from and calls.created_at < p_date_to
      and (not p_ads_only or (s.id is not null and session_is_ads(s)))
  ), agg as (
    select count(*) filter (where status = 'intent' and not is_junk) as queue_pending,
           count(*) filter (where sealed_at is not null) as sealed,
           count(*) filter (where is_junk) as junk,
           count(*) filter (where status = 'auto_approved') as auto_approved,
           count(*) filter (where oci_status = 'uploaded') as oci_uploaded,
           count(*) filter (where oci_status = 'failed') as oci_failed,
           count(*) filter (where sealed_at is not null and session_gclid is not null) as oci_matchable_sealed,
           count(*) filter (where not is_junk) as total_leads,
           count(*) filter (where session_gclid is not null and not is_junk) as gclid_leads
    from c
  )
  select jsonb_build_object(
    'site_id', p_site_id, 'date_from', p_date_from, 'date_to', p_date_to, 'ads_only', p_ads_only,
    'queue_pending', queue_pending, 'sealed', sealed, 'junk', junk, 'auto_approved', auto_approved,
    'oci_uploaded', oci_uploaded, 'oci_failed', oci_failed, 'oci_matchable_sealed', oci_matchable_sealed,
    'assumed_cpc', 12.5, 'currency', 'TRY', 'estimated_budget_saved', (junk * 12.5)::numeric,
    'projected_revenue', (sealed * 450)::numeric, 'total_leads', total_leads, 'gclid_leads', gclid_leads,
    'avg_scroll_depth', coalesce((select round(avg((metadata->>'scroll_depth')::numeric), 1) from events
       where site_id = p_site_id and created_at >= p_date_from and created_at < p_date_to and metadata ? 'scroll_depth'), 0),
    'inbox_zero_now', queue_pending = 0)
  from agg
$$;

create or replace function get_recent_intents_v2(p_site_id text, p_date_from timestamptz, p_date_to timestamptz, p_limit int, p_ads_only boolean)
returns jsonb[] language sql stable as $$
  select coalesce(array_agg(to_jsonb(x) order by x.created_at desc), '{}') from (
    select calls.* from calls left join sessions s on s.id = calls.matched_session_id
    where calls.site_id = p_site_id and calls.created_at >= p_date_from and calls.created_at < p_date_to
      and (not p_ads_only or (s.id is not null and session_is_ads(s)))
    order by calls.created_at desc limit p_limit) x
$$;

create or replace function get_recent_intents_v1(p_site_id text, p_since timestamptz, p_minutes_lookback int, p_limit int, p_ads_only boolean)
returns jsonb[] language sql stable as $$
  select get_recent_intents_v2(p_site_id, coalesce(p_since, now() - make_interval(mins => p_minutes_lookback)), now() + interval '1 second', p_limit, p_ads_only)
$$;

create or replace function get_session_details(p_site_id text, p_session_id text)
returns jsonb[] language sql stable as $$
  select coalesce(array_agg(to_jsonb(s)), '{}') from sessions s
  where s.site_id = p_site_id and s.id = p_session_id and session_is_ads(s)
$$;

create or replace function publish_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('pulse_changes', json_build_object(
    'schema', 'public', 'table', TG_TABLE_NAME,
    'commit_timestamp', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'eventType', TG_OP, 'new', row_to_json(NEW),
    'old', case when TG_OP = 'UPDATE' then row_to_json(OLD) else '{}'::json end,
    'errors', null)::text);
  return NEW;
end $$;

drop trigger if exists calls_changes on calls;
create trigger calls_changes after insert or update on calls for each row execute function publish_change();
drop trigger if exists sessions_changes on sessions;
create trigger sessions_changes after insert on sessions for each row execute function publish_change();
drop trigger if exists events_changes on events;
create trigger events_changes after insert on events for each row execute function publish_change();
`;
