-- The nearest-first venue scan of a search with a place (src/repositories/search-place.ts,
-- docs/performance.md). A selective search in a dense place (gardening, free, on Sundays,
-- step-free, in London) used to visit every venue of the circle, and for each one its
-- sessions and schemes: 800 ms at a million schemes. Now each venue carries, as bits, every
-- code its live schemes and sessions there could match, and a GiST index on its BNG point
-- that holds those bits: the scan tests them inside the index (an index-only scan, no row
-- read) and joins only the venues that may match. The bits are a superset: the exact test
-- of every filter still decides, so a stale extra bit costs a little time, never a result.
-- To recompute every venue's bits whole (after many deletions, say), run the UPDATE at the
-- end of this file again.

-- One bit per code: categories 0–35, accessibility 36–50, days 51–57, period 58–60, cost 61
-- (free) and 62 (paid), 63 'live' (the venue has a session of an active, undeleted scheme).
-- The search builds its masks with this same function, so the layout lives here only; a
-- test checks that every code of the API's vocabularies has a bit of its own.
CREATE FUNCTION search_code_bits(kind text, codes text[]) RETURNS int8 LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  base int;
  vocab text[];
  bits int8 := 0;
  code text;
  p int;
BEGIN
  CASE kind
    WHEN 'categories' THEN base := 0; vocab := ARRAY['walking', 'running', 'sport_exercise', 'dance', 'yoga_tai_chi', 'swimming', 'gardening', 'nature_outdoors', 'arts_crafts', 'music_singing', 'creative_writing', 'cookery', 'lunch_club', 'coffee_morning', 'book_club', 'mens_shed', 'volunteering', 'learning', 'digital_skills', 'faith_community', 'befriending', 'peer_support', 'mental_wellbeing', 'bereavement', 'carers_support', 'dementia_support', 'long_term_conditions', 'weight_management', 'money_debt_advice', 'benefits_advice', 'housing_advice', 'employment_support', 'food_bank', 'legal_advice', 'domestic_abuse_support', 'addiction_recovery'];
    WHEN 'accessibility' THEN base := 36; vocab := ARRAY['step_free', 'wheelchair_accessible', 'accessible_toilet', 'changing_places', 'hearing_loop', 'bsl', 'large_print', 'easy_read', 'quiet_space', 'seating', 'blue_badge_parking', 'public_transport_nearby', 'assistance_dogs', 'dementia_friendly', 'carer_free'];
    WHEN 'days' THEN base := 51; vocab := ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    WHEN 'period' THEN base := 58; vocab := ARRAY['morning', 'afternoon', 'evening'];
    WHEN 'cost' THEN base := 61; vocab := ARRAY['free', 'paid'];
    WHEN 'live' THEN base := 63; vocab := ARRAY['live'];
  END CASE;
  FOREACH code IN ARRAY coalesce(codes, '{}') LOOP
    p := array_position(vocab, code);
    IF p IS NOT NULL THEN bits := bits | (1::int8 << (base + p - 1)); END IF;
  END LOOP;
  RETURN bits;
END $$;

-- The bits of one session of a live scheme at a venue. Periods as in
-- src/domain/vocabularies.ts (PERIODS): morning 06–12, afternoon 12–17, evening 17–23; a
-- one-off session runs on its date's weekday.
CREATE FUNCTION search_session_bits(categories text[], scheme_access text[], cost_free boolean, venue_access text[],
    frequency text, days text[], date date, starts time, ends time) RETURNS int8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT search_code_bits('categories', categories)
    | search_code_bits('accessibility', venue_access || scheme_access)
    | search_code_bits('days', CASE WHEN frequency = 'once'
        THEN ARRAY[(ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])[extract(isodow FROM date)::int]] ELSE days END)
    | search_code_bits('period', ARRAY[
        CASE WHEN starts < '12:00' AND ends > '06:00' THEN 'morning' END,
        CASE WHEN starts < '17:00' AND ends > '12:00' THEN 'afternoon' END,
        CASE WHEN starts < '23:00' AND ends > '17:00' THEN 'evening' END])
    | search_code_bits('cost', ARRAY[CASE WHEN cost_free THEN 'free' ELSE 'paid' END])
    | search_code_bits('live', ARRAY['live'])
$$;

-- `pt`: the venue's BNG point as a plain point, so that the GiST index can return it (and
-- the bits beside it) without reading the row; the search measures planar distances on it.
ALTER TABLE venues
  ADD COLUMN pt point GENERATED ALWAYS AS (point(ST_X(ST_Transform(location::geometry, 27700)), ST_Y(ST_Transform(location::geometry, 27700)))) STORED,
  ADD COLUMN search_bits int8 NOT NULL DEFAULT 0;

-- The bits of venue `x` now: every code its sessions of live schemes could match there (none
-- when it is deleted). Each session and its scheme are read through the sessions_venue and
-- primary key indexes whatever the statistics say: a bulk load's first batches have none,
-- and the planner would otherwise scan sessions or schemes once per venue.
CREATE FUNCTION venue_search_bits(x venues) RETURNS int8 LANGUAGE sql STABLE SET enable_seqscan = off AS $$
  SELECT CASE WHEN x.deleted_at IS NULL THEN coalesce((
    SELECT bit_or(search_session_bits(s.categories, s.accessibility, s.cost_free, x.accessibility,
        ss.frequency, ss.days, ss.date, ss.starts, ss.ends))
    FROM sessions ss
    -- each session's scheme by its key (OFFSET 0: never a scan of every scheme per venue)
    CROSS JOIN LATERAL (SELECT * FROM schemes s WHERE s.id = ss.scheme_id AND s.deleted_at IS NULL AND s.status = 'active' OFFSET 0) s
    WHERE ss.venue_id = x.id), 0) ELSE 0 END
$$;

-- Adds to the bits of the venues `ids` the codes of their sessions now. Bits are only ever
-- added by writes, never taken away (a deleted session's codes stay until the venue's bits are
-- recomputed whole, as this migration does below): a venue whose bits already hold its codes
-- is not written, so writers at one venue do not queue or deadlock on its row, and concurrent
-- writers cannot lose each other's codes.
CREATE FUNCTION venues_search_bits_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  WITH fresh AS MATERIALIZED (SELECT x.id, venue_search_bits(x) AS bits FROM venues x WHERE x.id = ANY(ids))
  UPDATE venues v SET search_bits = v.search_bits | f.bits
  FROM fresh f
  WHERE v.id = f.id AND f.bits & ~v.search_bits <> 0;
END $$;

-- A bulk load (src/seed/load.ts) sets signpost.bulk_search_bits and adds the bits of a whole
-- batch's venues in one call instead of one per session.
CREATE FUNCTION sessions_search_bits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('signpost.bulk_search_bits', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM venues_search_bits_refresh(ARRAY[NEW.venue_id]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM venues_search_bits_refresh(ARRAY[OLD.venue_id]);
  ELSE
    PERFORM venues_search_bits_refresh(ARRAY[OLD.venue_id, NEW.venue_id]);
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER sessions_search_bits AFTER INSERT OR UPDATE OR DELETE ON sessions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sessions_search_bits();

-- A scheme's categories, accessibility, cost, status or deletion change its venues' bits.
CREATE FUNCTION schemes_search_bits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM venues_search_bits_refresh(ARRAY(SELECT venue_id FROM sessions WHERE scheme_id = NEW.id AND venue_id IS NOT NULL));
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER schemes_search_bits AFTER UPDATE ON schemes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION schemes_search_bits();

-- A venue's own accessibility and deletion (its point follows its location by itself).
CREATE FUNCTION venues_search_bits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM venues_search_bits_refresh(ARRAY[NEW.id]);
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER venues_search_bits AFTER UPDATE OF accessibility, deleted_at ON venues
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION venues_search_bits();

-- every venue's bits, recomputed whole
UPDATE venues v SET search_bits = b.bits
FROM (SELECT x.id, venue_search_bits(x) AS bits FROM venues x) b
WHERE v.id = b.id AND v.search_bits <> b.bits;

CREATE INDEX venues_search_points ON venues USING gist (pt) INCLUDE (search_bits, id);
