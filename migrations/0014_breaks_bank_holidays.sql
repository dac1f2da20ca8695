-- Breaks and bank holidays (issue 13): a scheme's breaks ("August break") stop all its
-- sessions; a session with except_bank_holidays does not run on the bank holidays of its
-- venue's nation. The rule is src/db/rules.ts sessionRunsOn, twin of src/domain/schedule.ts
-- occursOn. Every statement here is a catalogue change (new columns without a table rewrite,
-- a new table, an index on an empty predicate), instant on a large directory.

-- The bank holidays of each calendar (GB-EAW England and Wales, GB-SCT Scotland, GB-NIR
-- Northern Ireland), from the date-holidays package: filled and kept right by every migrate
-- run (src/db/bank-holidays.ts refreshCalendarData), for last year to five years on.
CREATE TABLE bank_holidays (
  region text NOT NULL CHECK (region IN ('GB-EAW', 'GB-SCT', 'GB-NIR')),
  date   date NOT NULL,
  name   text NOT NULL,
  PRIMARY KEY (region, date)
);

-- The calendar of the venue's nation, from its postcode (src/geo/nations.ts), set by every
-- venue writer. NULL: not known yet (a venue written before this migration, or straight into
-- the table); each migrate run fills those, and until then they count as England and Wales.
ALTER TABLE venues ADD COLUMN holiday_region text CHECK (holiday_region IN ('GB-EAW', 'GB-SCT', 'GB-NIR'));
CREATE INDEX venues_holiday_region_unset ON venues (id) WHERE holiday_region IS NULL;

-- breaks: the scheme's breaks as written ([{from, to, reason?}], for reads); break_days the
-- same dates as one multirange, so that "is this date in a break" is a single @> test.
-- Both NULL when the scheme has none.
ALTER TABLE schemes
  ADD COLUMN breaks jsonb,
  ADD COLUMN break_days datemultirange;

ALTER TABLE sessions ADD COLUMN except_bank_holidays boolean NOT NULL DEFAULT false;
