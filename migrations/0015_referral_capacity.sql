-- Issue 13: how to refer someone to a scheme (referral) and whether it has room (capacity).
-- The API documents are built from these columns (src/db/documents.ts) and written through
-- src/db/columns.ts; the rules between the fields are checked before a write
-- (src/domain/scheme-rules.ts), the CHECKs below only keep out what no rule allows.
--
-- Cost on a large directory: adding columns with constant defaults rewrites nothing
-- (PostgreSQL 11+); the CHECKs are validated by reading schemes once while the ALTER holds
-- its ACCESS EXCLUSIVE lock (writes and reads of schemes wait for that one read).

ALTER TABLE schemes
  -- referral: none when referral_methods is empty (a referral lists at least one method)
  ADD COLUMN referral_methods       text[] NOT NULL DEFAULT '{}',
  ADD COLUMN referral_url           text,
  ADD COLUMN referral_email         text,
  ADD COLUMN referral_phone         text,
  ADD COLUMN referral_instructions  text,
  -- referral.accepted_from: who may refer (search: referral_from, src/search/filters.ts)
  ADD COLUMN referral_from          text[] NOT NULL DEFAULT '{}',
  -- capacity: none when capacity_status is null; capacity_updated_at is the server's stamp
  ADD COLUMN capacity_status        text CHECK (capacity_status IN ('places_available', 'waiting_list', 'full')),
  ADD COLUMN capacity_places        integer CHECK (capacity_places >= 0),
  ADD COLUMN capacity_waiting_weeks smallint CHECK (capacity_waiting_weeks >= 0),
  ADD COLUMN capacity_updated_at    timestamptz,
  ADD CONSTRAINT schemes_capacity_stamped CHECK ((capacity_status IS NULL) = (capacity_updated_at IS NULL)),
  ADD CONSTRAINT schemes_referral_whole CHECK (cardinality(referral_methods) > 0 OR (cardinality(referral_from) = 0
    AND referral_url IS NULL AND referral_email IS NULL AND referral_phone IS NULL AND referral_instructions IS NULL));

-- No new index: referral_from and has_places are scheme filters, tested on the schemes that
-- the place, name or text scan already reads (as self_referral and accepting_referrals are).
