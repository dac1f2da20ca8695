-- The loneliest hours (issue 17) and schemes without a timetable (issue 13):
-- * a session may run past midnight: `ends` earlier than `starts` means the next morning,
--   up to 06:00 (src/domain/calendar.ts validSpan); never equal to `starts`;
-- * `always_open`: a line or service open 24 hours every day (a national helpline);
-- * `by_arrangement`: times agreed with each person (home visits, befriending calls);
-- * `contact_text`: a number that takes text messages.
-- The two flags satisfy the session filters for the scheme's remote modes (src/search/filters.ts).
-- Cheap on a large directory: new columns with constant defaults, and one constraint checked
-- against rows that already meet it (every landed session ends after it starts).

ALTER TABLE sessions DROP CONSTRAINT sessions_check;
ALTER TABLE sessions ADD CONSTRAINT sessions_span CHECK (ends > starts OR (ends < starts AND ends <= '06:00'));

ALTER TABLE schemes
  ADD COLUMN always_open boolean NOT NULL DEFAULT false,
  ADD COLUMN by_arrangement boolean NOT NULL DEFAULT false,
  ADD COLUMN contact_text text;
