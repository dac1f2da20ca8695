-- Write side (SPEC §4). The native lists page by keyset on lower(name) byte-wise, then id,
-- the same order as search without a place; these indexes serve those ORDER BY ... LIMIT.
CREATE INDEX organisations_name_order ON organisations ((lower(name) COLLATE "C"), id);
CREATE INDEX venues_name_order ON venues ((lower(name) COLLATE "C"), id) WHERE deleted_at IS NULL;
CREATE INDEX venues_organisation_name_order ON venues (organisation_id, (lower(name) COLLATE "C"), id) WHERE deleted_at IS NULL;

-- Stored Idempotency-Key answers are replayed for 24 hours; expired ones are swept in
-- small batches by later writes, oldest first through this index.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
