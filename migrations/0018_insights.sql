-- Issue 16: demand and coverage figures for commissioners (src/insights/, docs/insights.md).

-- A read-only role for the demand figures: `analyst` reads /v1/insights/demand and what any
-- reader may; it writes nothing.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'publisher', 'reader', 'analyst'));

-- Searches, counted per UK day, local authority, the filter codes asked and the outcome.
-- Nothing else about a search is kept: no postcode, coordinates, sector, time of day, key,
-- address or request id (src/insights/recorder.ts adds to these rows in batches). `area`
-- is a local authority district code, or '' when the place was in none (Northern Ireland,
-- the sea). Code lists are sorted; an empty list: not asked. `free` NULL: not asked.
CREATE TABLE demand_daily (
  day           date NOT NULL,
  area          text NOT NULL,
  needs         text[] NOT NULL,
  categories    text[] NOT NULL,
  periods       text[] NOT NULL,
  days          text[] NOT NULL,
  accessibility text[] NOT NULL,
  delivery      text[] NOT NULL,
  free          boolean,
  audience      text[] NOT NULL,
  -- false: the search's first page was empty (nothing within the radius, nor remote)
  found         boolean NOT NULL,
  searches      integer NOT NULL CHECK (searches > 0),
  -- one row per key; NULLS NOT DISTINCT: free NULL is a value of the key, so two processes
  -- flushing the same key add to one row (ON CONFLICT) rather than make two
  CONSTRAINT demand_daily_key UNIQUE NULLS NOT DISTINCT (day, area, needs, categories, periods, days, accessibility, delivery, free, audience, found)
);
-- the figures read a date range, all areas or one
CREATE INDEX demand_daily_day ON demand_daily (day, area);

-- The directory's generation: moved on by every statement that writes schemes, venues or
-- sessions, read by the coverage cache (src/insights/coverage-cache.ts) to drop figures that
-- a write may have changed. A sequence, not a counter row: nextval takes no lock that writers
-- would queue on, and it is not rolled back (a rolled-back write only costs a recomputation).
CREATE SEQUENCE directory_generation;
CREATE FUNCTION directory_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('directory_generation');
  RETURN NULL;
END $$;
CREATE TRIGGER schemes_generation AFTER INSERT OR UPDATE OR DELETE ON schemes FOR EACH STATEMENT EXECUTE FUNCTION directory_generation_bump();
CREATE TRIGGER venues_generation AFTER INSERT OR UPDATE OR DELETE ON venues FOR EACH STATEMENT EXECUTE FUNCTION directory_generation_bump();
CREATE TRIGGER sessions_generation AFTER INSERT OR UPDATE OR DELETE ON sessions FOR EACH STATEMENT EXECUTE FUNCTION directory_generation_bump();
