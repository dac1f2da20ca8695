-- Issue 14: the change feed (RPDE 1.0, "incrementing unique change number" ordering).
--
-- `changes` holds one row per resource (kind, id): the number of its latest change, when it
-- changed and whether it was deleted then. Triggers on the tables a document is built from
-- write it, so every write path (API, import, generator, SQL by hand) is covered in one place:
--   schemes                 → the scheme
--   sessions                → their scheme (a scheme's document carries its sessions)
--   venues                  → the venue, and the schemes whose sessions meet there (their documents carry it)
--   organisations           → the organisation (a rename updates its schemes: 0001's organisations_rename)
--
-- Change numbers and commit order. A number taken while a transaction runs could be smaller
-- than one a later-starting transaction has already committed, and a reader that had moved
-- past the larger one would skip the smaller for ever. So a row is written with a null number
-- and numbered by a deferred trigger at COMMIT, under a transaction-scoped advisory lock:
-- numbering and commit are serialised (the lock is released only after the commit is
-- visible), so every number a reader sees belongs to a transaction that committed after all
-- transactions holding smaller numbers. Writers wait on each other only for the few
-- microseconds of numbering; readers never wait. docs/feeds.md explains it to consumers.

CREATE SEQUENCE change_numbers;

CREATE TABLE changes (
  kind          text NOT NULL CHECK (kind IN ('scheme', 'venue', 'organisation')),
  id            uuid NOT NULL,
  change_number bigint,
  modified      timestamptz NOT NULL DEFAULT now(),
  deleted       boolean NOT NULL DEFAULT false,
  PRIMARY KEY (kind, id)
);
-- The feed reads (kind, change_number > n) in order; tombstone compaction reads deleted rows by age.
CREATE UNIQUE INDEX changes_order ON changes (kind, change_number);
CREATE INDEX changes_unnumbered ON changes (kind) WHERE change_number IS NULL;
CREATE INDEX changes_tombstones ON changes (modified) WHERE deleted;

-- Numbers this transaction's rows, once, at commit (the first deferred event does all of them).
CREATE FUNCTION changes_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('signpost.changes_numbered', true) = pg_current_xact_id()::text THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(7356214);
  -- Only this transaction's rows are unnumbered and visible here: other writers' rows are
  -- uncommitted (invisible), and every committed row was numbered by its own commit.
  UPDATE changes SET change_number = nextval('change_numbers') WHERE change_number IS NULL;
  PERFORM set_config('signpost.changes_numbered', pg_current_xact_id()::text, true);
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER changes_number AFTER INSERT OR UPDATE ON changes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.change_number IS NULL)
  EXECUTE FUNCTION changes_number();

-- Records (kind, id, deleted) rows as changed now; ids may repeat. Other deferred triggers
-- (the venues' search bits) may write after this transaction's rows were numbered: the flag is
-- cleared so that the numbering runs again for them.
CREATE FUNCTION changes_record(k text, ids uuid[], gone boolean[]) RETURNS void LANGUAGE sql AS $$
  SELECT set_config('signpost.changes_numbered', '', true);
  INSERT INTO changes AS c (kind, id, change_number, modified, deleted)
  SELECT DISTINCT ON (x.id) k, x.id, NULL, now(), x.gone
  FROM unnest(ids, gone) AS x(id, gone) WHERE x.id IS NOT NULL
  ORDER BY x.id
  ON CONFLICT (kind, id) DO UPDATE SET change_number = NULL, modified = now(), deleted = EXCLUDED.deleted;
$$;

-- Statement-level triggers with transition tables: one INSERT … SELECT per statement, so a
-- bulk import pays one statement, not one per row.
CREATE FUNCTION changes_from_schemes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM changes_record('scheme', array_agg(id), array_agg(true)) FROM old_rows;
  ELSE
    PERFORM changes_record('scheme', array_agg(id), array_agg(deleted_at IS NOT NULL)) FROM new_rows;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION changes_from_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The scheme is not deleted by a change to its sessions (a scheme deletion marks itself).
  IF TG_OP = 'DELETE' THEN
    PERFORM changes_record('scheme', array_agg(s.id), array_agg(s.deleted_at IS NOT NULL))
      FROM (SELECT DISTINCT scheme_id FROM old_rows) o JOIN schemes s ON s.id = o.scheme_id;
  ELSE
    PERFORM changes_record('scheme', array_agg(s.id), array_agg(s.deleted_at IS NOT NULL))
      FROM (SELECT DISTINCT scheme_id FROM new_rows) n JOIN schemes s ON s.id = n.scheme_id;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION changes_from_venues() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  gone boolean[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM changes_record('venue', array_agg(id), array_agg(true)) FROM old_rows;
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM changes_record('venue', array_agg(id), array_agg(deleted_at IS NOT NULL)) FROM new_rows;
  ELSE
    -- search_bits is the search's summary of the venue's sessions, kept by deferred triggers
    -- on every scheme write: not a change of the venue.
    SELECT array_agg(n.id), array_agg(n.deleted_at IS NOT NULL) INTO ids, gone
      FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE to_jsonb(n) - 'search_bits' IS DISTINCT FROM to_jsonb(o) - 'search_bits';
    IF ids IS NOT NULL THEN
      PERFORM changes_record('venue', ids, gone);
      PERFORM changes_record('scheme', array_agg(s.id), array_agg(s.deleted_at IS NOT NULL))
        FROM schemes s WHERE s.id IN (SELECT ss.scheme_id FROM sessions ss WHERE ss.venue_id = ANY (ids));
    END IF;
  END IF;
  RETURN NULL;
END $$;

-- A rename reaches the schemes through organisations_rename (0001), which updates them.
CREATE FUNCTION changes_from_organisations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM changes_record('organisation', array_agg(id), array_agg(false)) FROM new_rows;
  RETURN NULL;
END $$;

CREATE TRIGGER changes_schemes_insert AFTER INSERT ON schemes REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION changes_from_schemes();
CREATE TRIGGER changes_schemes_update AFTER UPDATE ON schemes REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION changes_from_schemes();
CREATE TRIGGER changes_schemes_delete AFTER DELETE ON schemes REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION changes_from_schemes();

CREATE TRIGGER changes_sessions_insert AFTER INSERT ON sessions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION changes_from_sessions();
CREATE TRIGGER changes_sessions_update AFTER UPDATE ON sessions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION changes_from_sessions();
CREATE TRIGGER changes_sessions_delete AFTER DELETE ON sessions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION changes_from_sessions();

CREATE TRIGGER changes_venues_insert AFTER INSERT ON venues REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION changes_from_venues();
CREATE TRIGGER changes_venues_update AFTER UPDATE ON venues REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION changes_from_venues();

CREATE TRIGGER changes_venues_delete AFTER DELETE ON venues REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION changes_from_venues();

CREATE TRIGGER changes_organisations_insert AFTER INSERT ON organisations REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION changes_from_organisations();
CREATE TRIGGER changes_organisations_update AFTER UPDATE ON organisations REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION changes_from_organisations();

-- What exists already enters the feed once, oldest first.
INSERT INTO changes (kind, id, change_number, modified, deleted)
SELECT kind, id, nextval('change_numbers'), modified, deleted FROM (
  SELECT 'organisation' AS kind, id, updated_at AS modified, false AS deleted FROM organisations
  UNION ALL SELECT 'venue', id, coalesce(deleted_at, updated_at), deleted_at IS NOT NULL FROM venues
  UNION ALL SELECT 'scheme', id, coalesce(deleted_at, updated_at), deleted_at IS NOT NULL FROM schemes
  ORDER BY 3, 1, 2) existing;
