-- One Zoho call slot in one statement: the daily quota, the sliding window, the concurrency leases and the day's count,
-- decided under the organization's row lock. p_now is a test's clock; without it the call is dated by the database's
-- clock once the lock is held (one clock for every process, and a wait for the lock or a connection dates nothing early).
CREATE OR REPLACE FUNCTION zoho_take_call_slot(
  p_organization_id text,
  p_now bigint,
  p_per_window integer,
  p_window_ms bigint,
  p_margin_ms bigint,
  p_concurrency integer,
  p_lease_ms bigint
) RETURNS TABLE (decision text, lease uuid, wait_ms bigint, quota_resets_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  limits zoho_rate_limits%ROWTYPE;
  now_ms bigint;
  recent bigint[];
  in_flight integer;
  granted uuid;
BEGIN
  SELECT * INTO limits FROM zoho_rate_limits WHERE organization_id = p_organization_id FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO zoho_rate_limits (organization_id) VALUES (p_organization_id) ON CONFLICT DO NOTHING;
    SELECT * INTO limits FROM zoho_rate_limits WHERE organization_id = p_organization_id FOR UPDATE;
  END IF;
  now_ms := coalesce(p_now, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint);

  IF limits.daily_remaining <= 0 AND limits.daily_resets_at > to_timestamp(now_ms / 1000.0) THEN
    RETURN QUERY SELECT 'quota'::text, NULL::uuid, NULL::bigint, limits.daily_resets_at;
    RETURN;
  END IF;

  recent := ARRAY(
    SELECT call FROM unnest(limits.recent_calls) AS call WHERE call > now_ms - p_window_ms - p_margin_ms ORDER BY call
  );
  IF cardinality(recent) >= p_per_window THEN
    RETURN QUERY SELECT 'wait'::text, NULL::uuid, recent[1] + p_window_ms + p_margin_ms - now_ms + 1, NULL::timestamptz;
    RETURN;
  END IF;

  DELETE FROM zoho_call_leases WHERE organization_id = p_organization_id AND expires_at < now_ms;
  SELECT count(*) INTO in_flight FROM zoho_call_leases WHERE organization_id = p_organization_id;
  IF in_flight >= p_concurrency THEN
    RETURN QUERY SELECT 'wait'::text, NULL::uuid, 10::bigint, NULL::timestamptz;
    RETURN;
  END IF;

  UPDATE zoho_rate_limits
  SET recent_calls = recent || now_ms, daily_remaining = daily_remaining - 1
  WHERE organization_id = p_organization_id;
  INSERT INTO zoho_daily_usage (organization_id, day, calls)
  VALUES (p_organization_id, (to_timestamp(now_ms / 1000.0) AT TIME ZONE 'UTC')::date, 1)
  ON CONFLICT (organization_id, day) DO UPDATE SET calls = zoho_daily_usage.calls + 1;
  INSERT INTO zoho_call_leases (organization_id, expires_at) VALUES (p_organization_id, now_ms + p_lease_ms)
  RETURNING id INTO granted;
  RETURN QUERY SELECT 'granted'::text, granted, NULL::bigint, NULL::timestamptz;
END
$$;
