-- Several Zoho call slots in one statement, for the callers of one process waiting on one organization, and the
-- release of slots that process's calls have finished with: one round trip grants a page's worth of calls and hands
-- back the last ones, where one slot a statement (and one statement a release) cost each call two.
-- Decided as zoho_take_call_slot decided one slot: the daily quota, the sliding window, the concurrency leases and the
-- day's count under the organization's row lock; p_now is a test's clock, without it the database's clock once the lock
-- is held. Grants what the limits allow of p_wanted (all of them dated alike); when that is fewer, wait_ms says when to
-- ask again. quota_resets_at is set when the day's quota is spent.
CREATE OR REPLACE FUNCTION zoho_take_call_slots(
  p_organization_id text,
  p_now bigint,
  p_wanted integer,
  p_released uuid[],
  p_per_window integer,
  p_window_ms bigint,
  p_margin_ms bigint,
  p_concurrency integer,
  p_lease_ms bigint
) RETURNS TABLE (leases uuid[], wait_ms bigint, quota_resets_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  limits zoho_rate_limits%ROWTYPE;
  now_ms bigint;
  recent bigint[];
  in_flight integer;
  granting integer;
  granted uuid[];
BEGIN
  SELECT * INTO limits FROM zoho_rate_limits WHERE organization_id = p_organization_id FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO zoho_rate_limits (organization_id) VALUES (p_organization_id) ON CONFLICT DO NOTHING;
    SELECT * INTO limits FROM zoho_rate_limits WHERE organization_id = p_organization_id FOR UPDATE;
  END IF;
  now_ms := coalesce(p_now, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint);
  -- The leases handed back and those run out, locked in one order (by id) as every release locks them: a take and a
  -- release, or two takes, never wait on each other in a circle.
  DELETE FROM zoho_call_leases WHERE id IN (
    SELECT id FROM zoho_call_leases
    WHERE organization_id = p_organization_id AND (id = ANY (p_released) OR expires_at < now_ms)
    ORDER BY id
    FOR UPDATE
  );

  IF limits.daily_remaining <= 0 AND limits.daily_resets_at > to_timestamp(now_ms / 1000.0) THEN
    RETURN QUERY SELECT '{}'::uuid[], NULL::bigint, limits.daily_resets_at;
    RETURN;
  END IF;

  recent := ARRAY(
    SELECT call FROM unnest(limits.recent_calls) AS call WHERE call > now_ms - p_window_ms - p_margin_ms ORDER BY call
  );
  SELECT count(*) INTO in_flight FROM zoho_call_leases WHERE organization_id = p_organization_id;

  granting := least(p_wanted, p_per_window - cardinality(recent), p_concurrency - in_flight);
  -- A quota Zoho reported for the current day is never overdrawn by a batch.
  IF limits.daily_remaining IS NOT NULL AND limits.daily_resets_at > to_timestamp(now_ms / 1000.0) THEN
    granting := least(granting, limits.daily_remaining);
  END IF;
  granting := greatest(granting, 0);

  IF granting > 0 THEN
    recent := recent || array_fill(now_ms, ARRAY[granting]);
    UPDATE zoho_rate_limits
    SET recent_calls = recent, daily_remaining = daily_remaining - granting
    WHERE organization_id = p_organization_id;
    INSERT INTO zoho_daily_usage (organization_id, day, calls)
    VALUES (p_organization_id, (to_timestamp(now_ms / 1000.0) AT TIME ZONE 'UTC')::date, granting)
    ON CONFLICT (organization_id, day) DO UPDATE SET calls = zoho_daily_usage.calls + granting;
    WITH inserted AS (
      INSERT INTO zoho_call_leases (organization_id, expires_at)
      SELECT p_organization_id, now_ms + p_lease_ms FROM generate_series(1, granting)
      RETURNING id
    )
    SELECT array_agg(id) INTO granted FROM inserted;
  END IF;

  RETURN QUERY SELECT
    coalesce(granted, '{}'::uuid[]),
    CASE
      WHEN granting >= p_wanted THEN NULL::bigint
      -- The window is full: until its oldest call leaves it (and the margin).
      WHEN cardinality(recent) >= p_per_window THEN recent[1] + p_window_ms + p_margin_ms - now_ms + 1
      -- Calls in flight at the concurrency limit (or the quota's last calls granted): a moment.
      ELSE 10::bigint
    END,
    NULL::timestamptz;
END
$$;
