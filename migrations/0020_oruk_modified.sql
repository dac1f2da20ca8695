-- ORUK incremental sync (GET /oruk/services?modified_after=…): a service has changed when its
-- scheme, its organisation or a venue of one of its sessions has (serviceModifiedSince in
-- src/repositories/oruk.ts). Each of the three is a range scan on its own updated_at.
--
-- Cost on a large directory: each index is built by reading its table once, while writes to
-- that table wait (about a second for 100 000 schemes).

CREATE INDEX schemes_updated_at ON schemes (updated_at);
CREATE INDEX organisations_updated_at ON organisations (updated_at);
CREATE INDEX venues_updated_at ON venues (updated_at);
