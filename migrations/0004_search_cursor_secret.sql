-- Search cursors carry the sort key of the last item, for an in-person search its distance
-- from the patient's place. They are sealed (AES-GCM, src/domain/cursor.ts) with a key
-- derived from this secret, so a cursor in a log line or a browser history says nothing
-- about where the patient is. One row; made here so that every instance and replica
-- shares it and cursors survive restarts. gen_random_uuid() draws from the server's strong
-- random source: two of them give 244 random bits.
CREATE TABLE search_cursor_secret (
  one    boolean PRIMARY KEY DEFAULT true CHECK (one),
  secret text NOT NULL
);
INSERT INTO search_cursor_secret (secret)
VALUES (replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
