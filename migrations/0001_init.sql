-- Signpost schema. Forward-only; the runner records each file in schema_migrations.
-- Coordinates: venues keep WGS84 geography (exact geodesic distance_m) and a British
-- National Grid point (SRID 27700) that the radius test and nearest-first order use
-- through its GiST index: planar BNG distances stay within SPEC 3's 0.1% across GB
-- and are about twice as fast as geography for KNN.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE organisations (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name           text NOT NULL,
  charity_number text,
  website        text,
  email          text,
  phone          text,
  description    text,
  source_id      text UNIQUE,
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  role            text NOT NULL CHECK (role IN ('admin', 'publisher', 'reader')),
  organisation_id uuid REFERENCES organisations(id),
  label           text,
  key_hash        text NOT NULL UNIQUE,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_used_at    timestamptz,
  revoked_at      timestamptz,
  CHECK ((role = 'publisher') = (organisation_id IS NOT NULL))
);

CREATE TABLE venues (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  name            text NOT NULL,
  line1           text NOT NULL,
  line2           text,
  town            text NOT NULL,
  postcode        text NOT NULL,
  location        geography(Point, 4326) NOT NULL,
  geom            geometry(Point, 27700) GENERATED ALWAYS AS (ST_Transform(location::geometry, 27700)) STORED,
  accessibility   text[] NOT NULL DEFAULT '{}',
  source_id       text,
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz
);
CREATE INDEX venues_geom_gist ON venues USING gist (geom);
CREATE INDEX venues_organisation ON venues (organisation_id, id);
CREATE UNIQUE INDEX venues_source ON venues (organisation_id, source_id) WHERE source_id IS NOT NULL;

CREATE TABLE schemes (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id      uuid NOT NULL REFERENCES organisations(id),
  name                 text NOT NULL,
  description          text NOT NULL DEFAULT '',
  categories           text[] NOT NULL DEFAULT '{}',
  needs                text[] NOT NULL DEFAULT '{}',
  audience             text[] NOT NULL DEFAULT '{}',
  delivery             text[] NOT NULL DEFAULT '{in_person}',
  cost_free            boolean NOT NULL DEFAULT true,
  cost_amount_pence    integer CHECK (cost_amount_pence >= 0),
  cost_per             text,
  cost_concessions     text,
  cost_description     text,
  min_age              smallint,
  max_age              smallint,
  self_referral        boolean NOT NULL DEFAULT false,
  accepting_referrals  boolean NOT NULL DEFAULT true,
  group_size           text,
  languages            text[] NOT NULL DEFAULT '{en}',
  contact_phone        text,
  contact_email        text,
  contact_website      text,
  accessibility        text[] NOT NULL DEFAULT '{}',
  -- service_area: the document as written (for reads) and a geography to test coverage.
  -- national: area_type 'national', no geography; radius: a point and radius_m; polygon: the shape.
  area_type            text CHECK (area_type IN ('national', 'radius', 'polygon')),
  area_doc             jsonb,
  area_center          geography(Point, 4326),
  area_radius_m        integer,
  area_shape           geography(MultiPolygon, 4326),
  status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'ended')),
  search_text          tsvector NOT NULL DEFAULT ''::tsvector,
  source_id            text,
  last_verified_at     timestamptz NOT NULL DEFAULT now(),
  version              integer NOT NULL DEFAULT 1,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  deleted_at           timestamptz
);
CREATE INDEX schemes_organisation ON schemes (organisation_id, id);
CREATE INDEX schemes_search_text ON schemes USING gin (search_text);
-- Without a place, results are ordered by lower(name) COLLATE "C", then id.
CREATE INDEX schemes_name_order ON schemes ((lower(name) COLLATE "C"), id) WHERE deleted_at IS NULL AND status = 'active';
CREATE UNIQUE INDEX schemes_source ON schemes (organisation_id, source_id) WHERE source_id IS NOT NULL;

CREATE TABLE sessions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  scheme_id      uuid NOT NULL REFERENCES schemes(id) ON DELETE CASCADE,
  position       smallint NOT NULL,
  venue_id       uuid REFERENCES venues(id),
  frequency      text NOT NULL CHECK (frequency IN ('weekly', 'fortnightly', 'monthly', 'once')),
  days           text[] NOT NULL DEFAULT '{}',
  week_of_month  smallint CHECK (week_of_month BETWEEN -1 AND 5 AND week_of_month <> 0),
  date           date,
  starts         time NOT NULL,
  ends           time NOT NULL CHECK (ends > starts),
  valid_from     date,
  valid_to       date,
  except_dates   date[] NOT NULL DEFAULT '{}',
  notes          text,
  UNIQUE (scheme_id, position)
);
CREATE INDEX sessions_venue ON sessions (venue_id, scheme_id);

CREATE TABLE scheme_history (
  scheme_id    uuid NOT NULL REFERENCES schemes(id) ON DELETE CASCADE,
  version      integer NOT NULL,
  action       text NOT NULL CHECK (action IN ('create', 'update', 'verify', 'delete')),
  changed_at   timestamptz NOT NULL DEFAULT now(),
  actor_key_id uuid,
  actor_role   text,
  document     jsonb NOT NULL,
  PRIMARY KEY (scheme_id, version)
);

-- The full-text vector covers the scheme's name and description and its organisation's
-- name; triggers keep it right for every writer (API, import, seed, generator).
CREATE FUNCTION schemes_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_text :=
    setweight(to_tsvector('english', coalesce(NEW.name, '')), 'A') ||
    setweight(to_tsvector('english', coalesce((SELECT name FROM organisations WHERE id = NEW.organisation_id), '')), 'B') ||
    setweight(to_tsvector('english', coalesce(NEW.description, '')), 'C');
  RETURN NEW;
END $$;
CREATE TRIGGER schemes_search_text BEFORE INSERT OR UPDATE OF name, description, organisation_id ON schemes
  FOR EACH ROW EXECUTE FUNCTION schemes_search_text();

CREATE FUNCTION organisations_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE schemes SET name = name WHERE organisation_id = NEW.id;
  RETURN NEW;
END $$;
CREATE TRIGGER organisations_rename AFTER UPDATE OF name ON organisations
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION organisations_rename();

CREATE TABLE idempotency_keys (
  actor_key_id  uuid NOT NULL,
  key           text NOT NULL,
  method        text NOT NULL,
  path          text NOT NULL,
  request_hash  text NOT NULL,
  status        integer NOT NULL,
  headers       jsonb NOT NULL DEFAULT '{}',
  body          jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (actor_key_id, key)
);
