-- Open Referral UK feed. HSDS wants a UUID for every record, including ones that Signpost
-- keeps inside other rows (a scheme's languages, a venue's address, a scheme at a venue).
-- They are name-based UUIDs (RFC 4122 version 3, MD5, under one Signpost namespace) so
-- that they stay the same from one read to the next; src/oruk/ids.ts computes the same.
CREATE FUNCTION oruk_uuid(name text) RETURNS uuid LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (substr(h, 1, 12) || '3' || substr(h, 14, 3) || to_hex((('x' || substr(h, 17, 1))::bit(4)::int & 3) | 8) || substr(h, 18))::uuid
  FROM (SELECT md5(decode('9b3f6a52c1e84d0fa7e2b5c4d3e1f0a9', 'hex') || convert_to(name, 'UTF8')) AS h) s
$$;

-- GET /oruk/service_at_locations/{id}: a service_at_location is a scheme at one of its
-- venues, named 'sal:<scheme id>:<venue id>'; this index finds its sessions by that id.
CREATE INDEX sessions_oruk_sal ON sessions (oruk_uuid('sal:' || scheme_id::text || ':' || venue_id::text)) WHERE venue_id IS NOT NULL;
