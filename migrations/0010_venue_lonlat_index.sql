-- The GeoJSON export's bbox (src/db/spatial.ts venueInBox) compares each venue's lon/lat
-- with the box: this index holds the expression it compares, so a small box reads a few
-- index pages instead of every venue.
CREATE INDEX venues_lonlat ON venues USING gist ((location::geometry)) WHERE deleted_at IS NULL;
