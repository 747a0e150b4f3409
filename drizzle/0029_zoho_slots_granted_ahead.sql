-- Slots are granted ahead: a take finding the window's oldest answers leaving within p_ahead_us grants their slots at
-- once, each with the instant (the database's clock) before which its call must not be sent. The worker holds the call
-- until then by the lower bound it learns on that clock's offset. 0028's take waited for such a slot in the database
-- and answered after; the answer's way back to the worker and on to the call (1.5 ms on average, from the decision to
-- the worker) then lay between the window freeing and the call. Now the take is asked ahead and its way back overlaps
-- the wait. A slot granted ahead is in flight from its grant (its lease), beside the answer it replaces until that
-- leaves: the window may count a call twice for a moment, never one too few.

-- This release's take (as 0028's zoho_take_answered_slots, without lingering): returns the leases and, in the same
-- order, each one's not-before instant in microseconds (the take's own clock for a slot free already).
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
) RETURNS TABLE (leases uuid[], not_before_us bigint[], wait_us bigint, now_us bigint, quota_resets_at timestamptz)
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
  UPDATE zoho_rate_limits
  SET recent_calls = recent, daily_remaining = daily_remaining - cardinality(starts)
  WHERE organization_id = p_organization_id;
  RETURN QUERY SELECT
    zoho_grant_call_slots(p_organization_id, clock_ms, cardinality(starts), p_lease_ms, true),
    starts,
    CASE
      WHEN spent OR cardinality(starts) >= p_wanted THEN NULL::bigint
      -- The window is full: until the next answer past those granted ahead leaves it (and the margin).
      WHEN cardinality(starts) < allowed AND cardinality(recent) > owed + cardinality(starts) - free_now
        THEN recent[owed + cardinality(starts) - free_now + 1] * 1000 + keep_us - clock_us
      -- Calls in flight fill the window or the concurrency (or the quota's last calls were granted): a moment.
      ELSE 10000::bigint
    END,
    clock_us,
    CASE WHEN spent THEN limits.daily_resets_at END;
END
$$;
-- 0028's take (which lingers) and 0026's stay for processes of earlier releases during a rolling deploy: their leases
-- and answers mean the same, and a slot granted ahead counts in their windows from its grant, as any call in flight.
