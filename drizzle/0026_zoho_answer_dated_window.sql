ALTER TABLE "zoho_call_leases" ADD COLUMN "granted_at" bigint;--> statement-breakpoint
-- The window counts a call until it was answered, not from when its slot was granted. A call reaches Zoho somewhere
-- between its grant and its answer; counted from the grant, a call sent late (a busy worker, a pause between the grant
-- and the send) could arrive inside the next window's calls, so the window needed a margin wide enough for any such
-- pause. Counted as in the window while in flight (its lease) and then until window + margin after its answer, no
-- delay between grant and send can put more than the window's calls into any window at Zoho: the margin is left only
-- for how Zoho itself counts its minute.
--
-- Ends leases: the finished ones handed back (p_released, each with the milliseconds it was held, p_held_ms, measured by
-- its worker from before the take that granted it, so granted_at + held is never before the answer) and those run
-- out (a worker died mid-call: answered by its lease's end at the latest). Returns p_recent with their answer times,
-- less the calls that left the window, in order. Leases are locked by id, as every take and release locks them.
CREATE OR REPLACE FUNCTION zoho_end_call_leases(
  p_organization_id text,
  p_recent bigint[],
  p_released uuid[],
  p_held_ms bigint[],
  p_now bigint,
  p_keep_ms bigint
) RETURNS bigint[]
LANGUAGE sql AS $$
  WITH ended AS (
    DELETE FROM zoho_call_leases WHERE id IN (
      SELECT id FROM zoho_call_leases
      WHERE organization_id = p_organization_id AND (id = ANY (p_released) OR expires_at < p_now)
      ORDER BY id
      FOR UPDATE
    )
    RETURNING id, granted_at, expires_at
  ), calls AS (
    -- The grant time is the millisecond below the database's clock (one added). A lease of the previous release has no
    -- grant time: its lease's end stands for its answer.
    SELECT coalesce(ended.granted_at + handed.held_ms + 1, ended.expires_at) AS answered
    FROM ended LEFT JOIN unnest(p_released, p_held_ms) AS handed (id, held_ms) ON handed.id = ended.id
    UNION ALL
    SELECT unnest(p_recent)
  )
  SELECT coalesce(array_agg(answered ORDER BY answered), '{}'::bigint[]) FROM calls WHERE answered > p_now - p_keep_ms
$$;
--> statement-breakpoint
-- Several call slots in one statement for the callers of one process waiting on one organization, with the release of
-- the slots that process's calls finished with: decided under the organization's row lock (the daily quota, the window
-- of answered and in-flight calls, the concurrency); p_now is a test's clock, without it the database's clock once the
-- lock is held. Grants what the limits allow of p_wanted; when that is fewer, wait_ms says when to ask again.
-- quota_resets_at is set when the day's quota is spent. (zoho_take_call_slots of 0024, without p_held_ms, stays for
-- processes of the previous release during a rolling deploy.)
CREATE OR REPLACE FUNCTION zoho_take_call_slots(
  p_organization_id text,
  p_now bigint,
  p_wanted integer,
  p_released uuid[],
  p_held_ms bigint[],
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
  recent := zoho_end_call_leases(
    p_organization_id, limits.recent_calls, p_released, p_held_ms, now_ms, p_window_ms + p_margin_ms
  );
  SELECT count(*) INTO in_flight FROM zoho_call_leases WHERE organization_id = p_organization_id;

  IF limits.daily_remaining <= 0 AND limits.daily_resets_at > to_timestamp(now_ms / 1000.0) THEN
    UPDATE zoho_rate_limits SET recent_calls = recent WHERE organization_id = p_organization_id;
    RETURN QUERY SELECT '{}'::uuid[], NULL::bigint, limits.daily_resets_at;
    RETURN;
  END IF;

  granting := least(p_wanted, p_per_window - cardinality(recent) - in_flight, p_concurrency - in_flight);
  -- A quota Zoho reported for the current day is never overdrawn by a batch.
  IF limits.daily_remaining IS NOT NULL AND limits.daily_resets_at > to_timestamp(now_ms / 1000.0) THEN
    granting := least(granting, limits.daily_remaining);
  END IF;
  granting := greatest(granting, 0);

  UPDATE zoho_rate_limits
  SET recent_calls = recent, daily_remaining = daily_remaining - granting
  WHERE organization_id = p_organization_id;
  IF granting > 0 THEN
    INSERT INTO zoho_daily_usage (organization_id, day, calls)
    VALUES (p_organization_id, (to_timestamp(now_ms / 1000.0) AT TIME ZONE 'UTC')::date, granting)
    ON CONFLICT (organization_id, day) DO UPDATE SET calls = zoho_daily_usage.calls + granting;
    WITH inserted AS (
      INSERT INTO zoho_call_leases (organization_id, granted_at, expires_at)
      SELECT p_organization_id, now_ms, now_ms + p_lease_ms FROM generate_series(1, granting)
      RETURNING id
    )
    SELECT array_agg(id) INTO granted FROM inserted;
  END IF;

  RETURN QUERY SELECT
    coalesce(granted, '{}'::uuid[]),
    CASE
      WHEN granting >= p_wanted THEN NULL::bigint
      -- The window is full: until its oldest answered call leaves it (and the margin).
      WHEN cardinality(recent) + in_flight + granting >= p_per_window AND cardinality(recent) > 0
        THEN recent[1] + p_window_ms + p_margin_ms - now_ms + 1
      -- Calls in flight at the concurrency limit (or filling the window, or the quota's last calls granted): a moment.
      ELSE 10::bigint
    END,
    NULL::timestamptz;
END
$$;
--> statement-breakpoint
-- Hands back finished calls' slots that no take carried, their answers dated into the window (zoho_end_call_leases),
-- under the organization's row lock as a take holds it: the two never wait on each other in a circle.
CREATE OR REPLACE FUNCTION zoho_release_call_slots(
  p_organization_id text,
  p_now bigint,
  p_released uuid[],
  p_held_ms bigint[],
  p_window_ms bigint,
  p_margin_ms bigint
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  limits zoho_rate_limits%ROWTYPE;
  now_ms bigint;
BEGIN
  SELECT * INTO limits FROM zoho_rate_limits WHERE organization_id = p_organization_id FOR UPDATE;
  -- No row, no lease: only a take grants one, and a take makes the row first.
  IF NOT FOUND THEN RETURN; END IF;
  now_ms := coalesce(p_now, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint);
  UPDATE zoho_rate_limits
  SET recent_calls = zoho_end_call_leases(
    p_organization_id, limits.recent_calls, p_released, p_held_ms, now_ms, p_window_ms + p_margin_ms
  )
  WHERE organization_id = p_organization_id;
END
$$;
