-- A call's answer is dated by its worker in the database's clock, to the microsecond, and waits are told in
-- microseconds. 0026 dated an answer as its grant's millisecond plus one plus the time the worker held the slot from
-- before the take that granted it: that counted the take's way to the database and two roundings in every call, about
-- 2 ms of each slot's turn, 1 % of a window scaled to 200 ms. A worker now learns from its takes (each returns the
-- database's clock) how far that clock is ahead of its own at most, and dates its answers with that bound: never
-- before the real answer, so no window at Zoho holds more calls than before.
--
-- A take that finds the window freeing within p_linger_us waits for it in the database, holding the organization's
-- lock a moment: answered with the wait instead, the worker's next take came 2 ms after the slot was free on average
-- (a timer's whole milliseconds, a busy event loop, the take's own way back), and one in five came too early and was
-- repeated. A worker asks its next take a little ahead of the window freeing, for it to wait there.

-- A test's clock (milliseconds), else the database's, in microseconds.
CREATE OR REPLACE FUNCTION zoho_clock_us(p_now bigint) RETURNS bigint
LANGUAGE sql AS $$
  SELECT coalesce(p_now * 1000, floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
$$;
--> statement-breakpoint
-- Ends leases: the finished ones handed back (p_released, each answered at p_answered_us by its worker's reckoning in
-- the database's clock, never counted before its grant) and those run out (a worker died mid-call: answered by its
-- lease's end at the latest, as in 0026). Returns p_recent with their answers, in whole milliseconds rounded up, less
-- the calls that left the window, in order. Leases are locked by id, as every take and release locks them.
CREATE OR REPLACE FUNCTION zoho_end_answered_leases(
  p_organization_id text,
  p_recent bigint[],
  p_released uuid[],
  p_answered_us bigint[],
  p_now_us bigint,
  p_keep_ms bigint
) RETURNS bigint[]
LANGUAGE plpgsql AS $$
DECLARE
  recent bigint[];
BEGIN
  WITH handed AS (
    SELECT id, ceil(answered_us / 1000.0)::bigint AS answered FROM unnest(p_released, p_answered_us) AS h (id, answered_us)
  ), ended AS (
    DELETE FROM zoho_call_leases WHERE id IN (
      SELECT id FROM zoho_call_leases
      WHERE organization_id = p_organization_id AND (id = ANY (p_released) OR expires_at < p_now_us / 1000)
      ORDER BY id
      FOR UPDATE
    )
    RETURNING id, granted_at, expires_at
  ), calls AS (
    SELECT CASE WHEN handed.id IS NULL THEN ended.expires_at ELSE greatest(handed.answered, ended.granted_at) END
      AS answered
    FROM ended LEFT JOIN handed ON handed.id = ended.id
    UNION ALL
    -- Handed back after its lease had run out (and was ended, dated by its end): its answer counts too.
    SELECT answered FROM handed WHERE handed.id NOT IN (SELECT id FROM ended)
    UNION ALL
    SELECT unnest(p_recent)
  )
  SELECT coalesce(array_agg(answered ORDER BY answered), '{}'::bigint[]) INTO recent
  FROM calls WHERE answered * 1000 > p_now_us - p_keep_ms * 1000;
  RETURN recent;
END
$$;
--> statement-breakpoint
-- This release's take: several call slots for the callers of one process waiting on one organization, with the release
-- of the slots its calls finished with, decided under the organization's row lock (the daily quota, the window of
-- answered and in-flight calls, the concurrency); p_now is a test's clock (on which it cannot linger). Grants what the
-- limits allow of p_wanted, once the window frees if that is within p_linger_us; when that is fewer, wait_us says when
-- to ask again. now_us is the database's clock as the take decided, for the worker to learn its offset.
-- quota_resets_at is set when the day's quota is spent.
CREATE OR REPLACE FUNCTION zoho_take_answered_slots(
  p_organization_id text,
  p_now bigint,
  p_wanted integer,
  p_released uuid[],
  p_answered_us bigint[],
  p_per_window integer,
  p_window_ms bigint,
  p_margin_ms bigint,
  p_concurrency integer,
  p_lease_ms bigint,
  p_linger_us bigint
) RETURNS TABLE (leases uuid[], wait_us bigint, now_us bigint, quota_resets_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  limits zoho_rate_limits := zoho_lock_limits(p_organization_id);
  clock_us bigint := zoho_clock_us(p_now);
  clock_ms bigint := clock_us / 1000;
  spent boolean := coalesce(limits.daily_remaining <= 0 AND limits.daily_resets_at > to_timestamp(clock_ms / 1000.0), false);
  recent bigint[];
  in_flight integer;
  in_window integer;
  granting integer := 0;
BEGIN
  recent := zoho_end_answered_leases(
    p_organization_id, limits.recent_calls, p_released, p_answered_us, clock_us, p_window_ms + p_margin_ms
  );
  -- The window: calls answered (and a release before 0026's, since their grant), and those in flight since 0026.
  SELECT count(*), cardinality(recent) + count(*) FILTER (WHERE granted_at IS NOT NULL) INTO in_flight, in_window
  FROM zoho_call_leases WHERE organization_id = p_organization_id;
  -- Only the window's oldest answer stands between this take and a slot, and it leaves within the linger: wait for it.
  IF p_now IS NULL AND NOT spent AND p_wanted > 0 AND in_window >= p_per_window AND in_flight < p_concurrency
    AND cardinality(recent) > 0 AND (recent[1] + p_window_ms + p_margin_ms) * 1000 - clock_us <= p_linger_us THEN
    PERFORM pg_sleep(((recent[1] + p_window_ms + p_margin_ms) * 1000 - clock_us) / 1000000.0);
    clock_us := zoho_clock_us(p_now);
    clock_ms := clock_us / 1000;
    recent := zoho_end_answered_leases(
      p_organization_id, recent, '{}'::uuid[], '{}'::bigint[], clock_us, p_window_ms + p_margin_ms
    );
    SELECT count(*), cardinality(recent) + count(*) FILTER (WHERE granted_at IS NOT NULL) INTO in_flight, in_window
    FROM zoho_call_leases WHERE organization_id = p_organization_id;
  END IF;
  IF NOT spent THEN
    granting := zoho_slots_allowed(limits, clock_ms, p_wanted, p_per_window - in_window, p_concurrency - in_flight);
  END IF;
  UPDATE zoho_rate_limits
  SET recent_calls = recent, daily_remaining = daily_remaining - granting
  WHERE organization_id = p_organization_id;
  RETURN QUERY SELECT
    zoho_grant_call_slots(p_organization_id, clock_ms, granting, p_lease_ms, true),
    CASE
      WHEN spent OR granting >= p_wanted THEN NULL::bigint
      -- The window is full: until its oldest answered call leaves it (and the margin).
      WHEN in_window + granting >= p_per_window AND cardinality(recent) > 0
        THEN (recent[1] + p_window_ms + p_margin_ms) * 1000 - clock_us
      -- Calls in flight fill the window or the concurrency (or the quota's last calls were granted): a moment.
      ELSE 10000::bigint
    END,
    clock_us,
    CASE WHEN spent THEN limits.daily_resets_at END;
END
$$;
--> statement-breakpoint
-- Hands back finished calls' slots that no take carried, their answers dated into the window, under the organization's
-- row lock as a take holds it: the two never wait on each other in a circle.
CREATE OR REPLACE FUNCTION zoho_release_answered_slots(
  p_organization_id text,
  p_now bigint,
  p_released uuid[],
  p_answered_us bigint[],
  p_window_ms bigint,
  p_margin_ms bigint
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  limits zoho_rate_limits := zoho_lock_limits(p_organization_id);
BEGIN
  UPDATE zoho_rate_limits
  SET recent_calls = zoho_end_answered_leases(
    p_organization_id, limits.recent_calls, p_released, p_answered_us, zoho_clock_us(p_now), p_window_ms + p_margin_ms
  )
  WHERE organization_id = p_organization_id;
END
$$;
-- 0026's take and release stay for processes of the previous release during a rolling deploy: their leases and answers
-- are kept in the same rows and mean the same, in whole milliseconds.
