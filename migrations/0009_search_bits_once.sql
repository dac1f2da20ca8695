-- The venues' search bits (0008) refreshed once per venue per transaction. 0008's deferred
-- triggers ran once per session row, and each run reads every session at the venue: a write
-- cost (sessions written) × (sessions at the venue), so a 200-session scheme at a venue of
-- 4,000 sessions ran into the statement timeout. Now statement-level triggers (their
-- transition tables hold every row the statement touched) queue the venues a transaction
-- touched, once each, in search_bits_pending; one deferred constraint trigger per queued row
-- refreshes that venue at commit, when the transaction's last write is in, and unqueues it.

-- Keyed by the writing transaction, so that concurrent writers at one venue neither share nor
-- wait on a row here (each refreshes the venue in its own commit, as 0008 did). A row lives
-- from the first write at the venue to the commit; a rolled-back transaction's rows go with it.
-- Unlogged: after a crash the queue is empty, and so are the transactions that filled it.
CREATE UNLOGGED TABLE search_bits_pending (
  xid bigint NOT NULL,
  venue_id uuid NOT NULL,
  PRIMARY KEY (xid, venue_id)
);

-- Queues venues for this transaction's refresh; a venue already queued is not queued again.
CREATE FUNCTION search_bits_enqueue(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO search_bits_pending (xid, venue_id)
  SELECT DISTINCT txid_current(), id FROM unnest(ids) AS id WHERE id IS NOT NULL
  ON CONFLICT DO NOTHING
$$;

-- The one refresh of a queued venue, at commit (or at SET CONSTRAINTS … IMMEDIATE).
CREATE FUNCTION search_bits_drain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM venues_search_bits_refresh(ARRAY[NEW.venue_id]);
  DELETE FROM search_bits_pending WHERE xid = NEW.xid AND venue_id = NEW.venue_id;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER search_bits_drain AFTER INSERT ON search_bits_pending
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION search_bits_drain();

DROP TRIGGER sessions_search_bits ON sessions;
DROP TRIGGER schemes_search_bits ON schemes;
DROP TRIGGER venues_search_bits ON venues;
DROP FUNCTION sessions_search_bits();
DROP FUNCTION schemes_search_bits();
DROP FUNCTION venues_search_bits();

-- Sessions: the venues of every row a statement inserted, updated (old and new venue) or
-- deleted. A trigger with transition tables takes one event, hence three. A bulk load
-- (src/seed/load.ts) sets signpost.bulk_search_bits and refreshes a batch's venues itself.
CREATE FUNCTION sessions_search_bits_queue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('signpost.bulk_search_bits', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM search_bits_enqueue(ARRAY(SELECT venue_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM search_bits_enqueue(ARRAY(SELECT venue_id FROM old_rows));
  ELSE
    PERFORM search_bits_enqueue(ARRAY(SELECT venue_id FROM old_rows UNION SELECT venue_id FROM new_rows));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER sessions_search_bits_insert AFTER INSERT ON sessions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sessions_search_bits_queue();
CREATE TRIGGER sessions_search_bits_update AFTER UPDATE ON sessions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sessions_search_bits_queue();
CREATE TRIGGER sessions_search_bits_delete AFTER DELETE ON sessions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sessions_search_bits_queue();

-- Schemes: only a change of what the bits are made of (categories, accessibility, cost,
-- status, deletion) queues the scheme's venues; a verify or a new description does not.
CREATE FUNCTION schemes_search_bits_queue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_bits_enqueue(ARRAY(
    SELECT ss.venue_id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN sessions ss ON ss.scheme_id = n.id
    WHERE (n.categories, n.accessibility, n.cost_free, n.status, n.deleted_at)
      IS DISTINCT FROM (o.categories, o.accessibility, o.cost_free, o.status, o.deleted_at)));
  RETURN NULL;
END $$;
CREATE TRIGGER schemes_search_bits_update AFTER UPDATE ON schemes
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION schemes_search_bits_queue();

-- Venues: their own accessibility and deletion. (A trigger with transition tables cannot
-- name columns, so the change is found here; the refresh's own update of search_bits
-- queues nothing.)
CREATE FUNCTION venues_search_bits_queue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_bits_enqueue(ARRAY(
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.accessibility, n.deleted_at) IS DISTINCT FROM (o.accessibility, o.deleted_at)));
  RETURN NULL;
END $$;
CREATE TRIGGER venues_search_bits_update AFTER UPDATE ON venues
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION venues_search_bits_queue();
