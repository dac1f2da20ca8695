-- Search at national scale (docs/performance.md, src/repositories/search-place.ts).
-- Remote matches with a place are listed by name among the schemes that have a service
-- area (every online, telephone or home-visit scheme needs one): this index walks them in
-- that order and stops at the page instead of testing the coverage of every scheme.
CREATE INDEX schemes_remote_name_order ON schemes ((lower(name) COLLATE "C"), id)
  WHERE deleted_at IS NULL AND status = 'active' AND area_type IS NOT NULL;
-- A remote search for a code that few remote schemes have (accessibility asks the scheme's
-- own codes, which rarely include step_free or seating) would walk all of them by name;
-- with these the planner reads the few that have it. Partial: in-person search never uses them.
CREATE INDEX schemes_remote_accessibility ON schemes USING gin (accessibility)
  WHERE deleted_at IS NULL AND status = 'active' AND area_type IS NOT NULL;
CREATE INDEX schemes_remote_categories ON schemes USING gin (categories)
  WHERE deleted_at IS NULL AND status = 'active' AND area_type IS NOT NULL;
