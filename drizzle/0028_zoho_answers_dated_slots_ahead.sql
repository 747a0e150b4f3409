-- A call's answer is dated by its worker in the database's clock, to the microsecond, and slots are granted ahead.
--
-- 0026 dated an answer as its grant's millisecond plus one plus the time the worker held the slot from before the take
-- that granted it: that counted the take's way to the database and two roundings in every call, about 2 ms of each
-- slot's turn, 1 % of a window scaled to 200 ms. A worker now learns from its takes (each returns the database's clock)
-- bounds on how far that clock is ahead of its own, and dates its answers with the upper bound: never before the real
-- answer, so no window at Zoho holds more calls than before.
--
-- A take finding the window's oldest answers leaving within p_ahead_us grants their slots at once, each with the
-- instant (the database's clock) before which its call must not be sent; the worker holds the call until then by the
-- lower bound. Answered with a wait instead, the worker's next take came 2 ms after the slot was free on average (a
-- timer's whole milliseconds, a busy event loop, the take's own way back), and one in five came too early and was
-- repeated. A slot granted ahead is in flight from its grant (its lease), beside the answer it replaces until that
-- leaves: the window may count a call twice for a moment, never one too few.

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
-- This release's take: several call slots for the callers of one process waiting on one organization, with the
-- release of the slots its calls finished with, decided under the organization's row lock (the daily quota, the window
-- of answered and in-flight calls, the concurrency); p_now is a test's clock. Returns the leases and, in the same order,
-- each one's not-before instant in microseconds (the take's own clock for a slot free already); when fewer than
-- p_wanted, wait_us says when to ask again, and window_frees whether a slot frees then (else it is a moment: calls in
-- flight at the concurrency, or the quota's last calls granted). now_us is the database's clock as the take decided,
-- for the worker to learn its offset. quota_resets_at is set when the day's quota is spent.
CREATE OR REPLACE FUNCTION zoho_take_slots_ahead(
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
  p_ahead_us bigint
) RETURNS TABLE (
  leases uuid[], not_before_us bigint[], wait_us bigint, window_frees boolean, now_us bigint, quota_resets_at timestamptz
)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  limits zoho_rate_limits := zoho_lock_limits(p_organization_id);
  clock_us bigint := zoho_clock_us(p_now);
  clock_ms bigint := clock_us / 1000;
  keep_us bigint := (p_window_ms + p_margin_ms) * 1000;
  spent boolean := coalesce(limits.daily_remaining <= 0 AND limits.daily_resets_at > to_timestamp(clock_ms / 1000.0), false);
  recent bigint[];
  in_flight integer;
  in_window integer;
  allowed integer := 0;
  free_now integer := 0;
  -- Answers that must leave the window before a slot beyond those free now: as many as it holds past its limit.
  owed integer;
  starts bigint[];
  frees_at bigint;
BEGIN
  recent := zoho_end_answered_leases(
    p_organization_id, limits.recent_calls, p_released, p_answered_us, clock_us, p_window_ms + p_margin_ms
  );
  -- The window: calls answered (and a release before 0026's, since their grant), and those in flight since 0026
  -- (granted ahead among them).
  SELECT count(*), cardinality(recent) + count(*) FILTER (WHERE granted_at IS NOT NULL) INTO in_flight, in_window
  FROM zoho_call_leases WHERE organization_id = p_organization_id;
  IF NOT spent THEN
    -- What the concurrency and the day's quota allow of p_wanted; of those, what the window has room for now.
    allowed := zoho_slots_allowed(limits, clock_ms, p_wanted, p_wanted, p_concurrency - in_flight);
    free_now := least(allowed, greatest(0, p_per_window - in_window));
  END IF;
  owed := greatest(0, in_window + free_now - p_per_window);
  starts := array_fill(clock_us, ARRAY[free_now]);
  IF free_now < allowed THEN
    -- The rest, from the answers leaving the window within p_ahead_us, oldest first: each frees a slot as it leaves.
    SELECT starts || coalesce(array_agg((answered * 1000 + keep_us) ORDER BY position), '{}'::bigint[])
    INTO starts
    FROM unnest(recent) WITH ORDINALITY AS window_calls (answered, position)
    WHERE position > owed AND position <= owed + allowed - free_now AND answered * 1000 + keep_us <= clock_us + p_ahead_us;
  END IF;
  -- The window holds the rest back: it next frees a slot as the answer past those granted ahead leaves it (none when
  -- calls in flight fill it).
  IF cardinality(starts) < allowed THEN
    frees_at := recent[owed + cardinality(starts) - free_now + 1] * 1000 + keep_us;
  END IF;
  UPDATE zoho_rate_limits
  SET recent_calls = recent, daily_remaining = daily_remaining - cardinality(starts)
  WHERE organization_id = p_organization_id;
  RETURN QUERY SELECT
    zoho_grant_call_slots(p_organization_id, clock_ms, cardinality(starts), p_lease_ms, true),
    starts,
    -- Else calls in flight fill the window or the concurrency (or the quota's last calls were granted): a moment.
    CASE WHEN NOT spent AND cardinality(starts) < p_wanted THEN coalesce(frees_at - clock_us, 10000) END,
    frees_at IS NOT NULL,
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
-- mean the same, in whole milliseconds, and a slot granted ahead counts in their windows from its grant, as any call in
-- flight. (They wait for the window's oldest answer, which a slot granted ahead may have taken: they ask again.)
