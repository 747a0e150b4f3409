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
-- out (a worker died mid-call: answered by its lease's end at the latest, as its call times out in half the lease once
-- sent). Returns p_recent with their answer times,
-- less the calls that left the window, in order. Leases are locked by id, as every take and release locks them.
CREATE OR REPLACE FUNCTION zoho_end_call_leases(
  p_organization_id text,
  p_recent bigint[],
  p_released uuid[],
  p_held_ms bigint[],
  p_now bigint,
  p_keep_ms bigint
) RETURNS bigint[]
-- PL/pgSQL, not SQL: its statements' plans are kept for the session, where a SQL function's are made on every call.
LANGUAGE plpgsql AS $$
DECLARE
  recent bigint[];
BEGIN
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
    -- Handed back after its lease had run out (and was ended, dated by its end): answered by now at the latest.
    SELECT p_now FROM unnest(p_released) AS late (id) WHERE late.id NOT IN (SELECT id FROM ended)
    UNION ALL
    SELECT unnest(p_recent)
  )
  SELECT coalesce(array_agg(answered ORDER BY answered), '{}'::bigint[]) INTO recent
  FROM calls WHERE answered > p_now - p_keep_ms;
  RETURN recent;
END
$$;
--> statement-breakpoint
-- The organization's limits row, locked (made first if new): every take and release holds it before any lease.
CREATE OR REPLACE FUNCTION zoho_lock_limits(p_organization_id text) RETURNS zoho_rate_limits
LANGUAGE plpgsql AS $$
DECLARE
  limits zoho_rate_limits%ROWTYPE;
BEGIN
  SELECT * INTO limits FROM zoho_rate_limits WHERE organization_id = p_organization_id FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO zoho_rate_limits (organization_id) VALUES (p_organization_id) ON CONFLICT DO NOTHING;
    SELECT * INTO limits FROM zoho_rate_limits WHERE organization_id = p_organization_id FOR UPDATE;
  END IF;
  RETURN limits;
END
$$;
--> statement-breakpoint
-- A test's clock, else the database's (one clock for every process), read once the lock is held: in milliseconds.
CREATE OR REPLACE FUNCTION zoho_clock_ms(p_now bigint) RETURNS bigint
LANGUAGE sql AS $$
  SELECT coalesce(p_now, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint)
$$;
--> statement-breakpoint
-- Grants p_granting slots at p_now: counted in the day's usage, each a lease (dated by its grant when p_answer_dated,
-- as this release's are, so its answer can be dated). Returns the leases' ids.
CREATE OR REPLACE FUNCTION zoho_grant_call_slots(
  p_organization_id text,
  p_now bigint,
  p_granting integer,
  p_lease_ms bigint,
  p_answer_dated boolean
) RETURNS uuid[]
LANGUAGE plpgsql AS $$
DECLARE
  granted uuid[];
BEGIN
  IF p_granting <= 0 THEN
    RETURN '{}'::uuid[];
  END IF;
  INSERT INTO zoho_daily_usage (organization_id, day, calls)
  VALUES (p_organization_id, (to_timestamp(p_now / 1000.0) AT TIME ZONE 'UTC')::date, p_granting)
  ON CONFLICT (organization_id, day) DO UPDATE SET calls = zoho_daily_usage.calls + excluded.calls;
  WITH inserted AS (
    INSERT INTO zoho_call_leases (organization_id, granted_at, expires_at)
    SELECT p_organization_id, CASE WHEN p_answer_dated THEN p_now END, p_now + p_lease_ms
    FROM generate_series(1, p_granting)
    RETURNING id
  )
  SELECT array_agg(id) INTO granted FROM inserted;
  RETURN granted;
END
$$;
--> statement-breakpoint
-- How many of p_wanted slots a take grants: what the window and the concurrency leave, never more than a daily quota
-- Zoho reported for the current day.
CREATE OR REPLACE FUNCTION zoho_slots_allowed(
  limits zoho_rate_limits,
  p_now bigint,
  p_wanted integer,
  p_window_room integer,
  p_concurrency_room integer
) RETURNS integer
LANGUAGE plpgsql AS $$
BEGIN
  RETURN greatest(0, least(
    p_wanted, p_window_room, p_concurrency_room,
    CASE WHEN limits.daily_remaining IS NOT NULL AND limits.daily_resets_at > to_timestamp(p_now / 1000.0)
      THEN limits.daily_remaining END
  ));
END
$$;
--> statement-breakpoint
-- A take's answer: the leases granted; when fewer than wanted, when to ask again (the window's wait, else a moment:
-- calls in flight at the concurrency limit or filling the window, or the quota's last calls granted); the quota's end
-- when the day's quota is spent.
CREATE OR REPLACE FUNCTION zoho_slots_answer(
  limits zoho_rate_limits,
  p_now bigint,
  p_wanted integer,
  p_granting integer,
  p_leases uuid[],
  p_window_wait bigint
) RETURNS TABLE (leases uuid[], wait_ms bigint, quota_resets_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
  spent boolean := coalesce(limits.daily_remaining <= 0 AND limits.daily_resets_at > to_timestamp(p_now / 1000.0), false);
BEGIN
  RETURN QUERY SELECT
    p_leases,
    CASE WHEN spent OR p_granting >= p_wanted THEN NULL::bigint ELSE coalesce(p_window_wait, 10::bigint) END,
    CASE WHEN spent THEN limits.daily_resets_at END;
END
$$;
--> statement-breakpoint
-- Several call slots in one statement for the callers of one process waiting on one organization, with the release of
-- the slots that process's calls finished with: decided under the organization's row lock (the daily quota, the window
-- of answered and in-flight calls, the concurrency); p_now is a test's clock. Grants what the limits allow of p_wanted;
-- when that is fewer, wait_ms says when to ask again. quota_resets_at is set when the day's quota is spent.
-- p_dated_at_grant: the caller is a process of the previous release, whose calls count from their grant (below).
CREATE OR REPLACE FUNCTION zoho_take_slots(
  p_organization_id text,
  p_now bigint,
  p_wanted integer,
  p_released uuid[],
  p_held_ms bigint[],
  p_per_window integer,
  p_window_ms bigint,
  p_margin_ms bigint,
  p_concurrency integer,
  p_lease_ms bigint,
  p_dated_at_grant boolean
) RETURNS TABLE (leases uuid[], wait_ms bigint, quota_resets_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  limits zoho_rate_limits := zoho_lock_limits(p_organization_id);
  now_ms bigint := zoho_clock_ms(p_now);
  recent bigint[];
  in_flight integer;
  in_window integer;
  granting integer := 0;
BEGIN
  recent := zoho_end_call_leases(
    p_organization_id, limits.recent_calls, p_released, p_held_ms, now_ms, p_window_ms + p_margin_ms
  );
  -- The window: calls answered (and the previous release's, since their grant), and this release's in flight.
  SELECT count(*), cardinality(recent) + count(*) FILTER (WHERE granted_at IS NOT NULL) INTO in_flight, in_window
  FROM zoho_call_leases WHERE organization_id = p_organization_id;
  IF (limits.daily_remaining <= 0 AND limits.daily_resets_at > to_timestamp(now_ms / 1000.0)) IS NOT TRUE THEN
    granting := zoho_slots_allowed(limits, now_ms, p_wanted, p_per_window - in_window, p_concurrency - in_flight);
  END IF;
  IF p_dated_at_grant THEN
    recent := recent || array_fill(now_ms, ARRAY[granting]);
  END IF;
  UPDATE zoho_rate_limits
  SET recent_calls = recent, daily_remaining = daily_remaining - granting
  WHERE organization_id = p_organization_id;
  RETURN QUERY SELECT * FROM zoho_slots_answer(
    limits, now_ms, p_wanted, granting,
    zoho_grant_call_slots(p_organization_id, now_ms, granting, p_lease_ms, NOT p_dated_at_grant),
    -- The window is full: until its oldest answered call leaves it (and the margin).
    CASE WHEN in_window + granting >= p_per_window AND cardinality(recent) > 0
      THEN recent[1] + p_window_ms + p_margin_ms - now_ms + 1 END
  );
END
$$;
--> statement-breakpoint
-- This release's take (zoho_take_slots).
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
BEGIN
  RETURN QUERY SELECT * FROM zoho_take_slots(
    p_organization_id, p_now, p_wanted, p_released, p_held_ms, p_per_window, p_window_ms, p_margin_ms, p_concurrency,
    p_lease_ms, false
  );
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
  limits zoho_rate_limits := zoho_lock_limits(p_organization_id);
BEGIN
  UPDATE zoho_rate_limits
  SET recent_calls = zoho_end_call_leases(
    p_organization_id, limits.recent_calls, p_released, p_held_ms, zoho_clock_ms(p_now), p_window_ms + p_margin_ms
  )
  WHERE organization_id = p_organization_id;
END
$$;
--> statement-breakpoint
-- Processes of the previous release keep calling the take of 0024 during a rolling deploy: it dates its own calls when
-- granted, as it did, and now also counts this release's calls in flight (they are in the window only once answered),
-- and dates those of this release's leases that ran out by their end instead of dropping them from the window.
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
BEGIN
  -- The organization first, as every take and release locks it; its own finished calls are in the window since their
  -- grant: their leases just end.
  PERFORM zoho_lock_limits(p_organization_id);
  DELETE FROM zoho_call_leases WHERE id IN (
    SELECT id FROM zoho_call_leases WHERE organization_id = p_organization_id AND id = ANY (p_released) ORDER BY id FOR UPDATE
  );
  RETURN QUERY SELECT * FROM zoho_take_slots(
    p_organization_id, p_now, p_wanted, '{}'::uuid[], '{}'::bigint[], p_per_window, p_window_ms, p_margin_ms,
    p_concurrency, p_lease_ms, true
  );
END
$$;
--> statement-breakpoint
-- The one-slot take of two releases ago (0015): no process calls it any more.
DROP FUNCTION IF EXISTS zoho_take_call_slot(text, bigint, integer, bigint, bigint, integer, bigint);
