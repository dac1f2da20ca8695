-- Issue 15: keeping the directory true. Reminders by e-mail, one-click confirmation links,
-- reports from the public, and what happens to schemes nobody confirms (docs/freshness.md).
--
-- Cost on a large directory: one nullable column on schemes (no rewrite) and new tables.

-- Set by the scheduler when a scheme has gone unconfirmed past UNCONFIRMED_AFTER_DAYS, cleared
-- by a confirmation or an owner's write: while set, the scheme is out of search and the feeds
-- (src/db/rules.ts schemeListed). A column rather than a date comparison at read time, so that
-- leaving and returning are each an UPDATE of schemes, which the change feed sees.
ALTER TABLE schemes ADD COLUMN unlisted_at timestamptz;

-- One row per scheme, confirmation cycle (the last_verified_at it reminds about) and
-- threshold: the primary key is what makes each reminder happen once, whichever process plans
-- it. threshold 0 is a confirmation request caused by reports from the public.
CREATE TABLE freshness_reminders (
  scheme_id    uuid NOT NULL REFERENCES schemes(id) ON DELETE CASCADE,
  verified_at  timestamptz NOT NULL,
  threshold    integer NOT NULL CHECK (threshold >= 0),
  -- the e-mail that carries it (set in the same transaction, once the e-mail is queued)
  job_id       bigint,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (scheme_id, verified_at, threshold)
);
-- The scheduler's scans: schemes past a threshold, oldest confirmation first.
CREATE INDEX schemes_last_verified ON schemes (last_verified_at) WHERE deleted_at IS NULL;

-- The outbox: each e-mail to send, claimed FOR UPDATE SKIP LOCKED by one process at a time.
-- kind reminder: payload.schemes lists the schemes, each with its threshold; kind reports: the
-- organisation's new reports of one UK day (digest_day keeps it to one a day).
CREATE TABLE mail_jobs (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('reminder', 'reports')),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  recipient       text NOT NULL,
  payload         jsonb NOT NULL,
  digest_day      date,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'logged')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz,
  subject         text
);
CREATE INDEX mail_jobs_pending ON mail_jobs (next_attempt_at, id) WHERE status = 'pending';
CREATE UNIQUE INDEX mail_jobs_daily_digest ON mail_jobs (organisation_id, digest_day) WHERE kind = 'reports';

-- A confirmation link's token: only its SHA-256 is kept. Bound to one scheme and version;
-- single use (used_at); good until expires_at.
CREATE TABLE confirmation_tokens (
  token_hash     bytea PRIMARY KEY,
  scheme_id      uuid NOT NULL REFERENCES schemes(id) ON DELETE CASCADE,
  scheme_version integer NOT NULL,
  job_id         bigint NOT NULL REFERENCES mail_jobs(id),
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  used_at        timestamptz,
  outcome        text CHECK (outcome IN ('confirmed', 'ended', 'needs_changes'))
);
CREATE INDEX confirmation_tokens_scheme ON confirmation_tokens (scheme_id);

-- Reports from the public. No name, e-mail or address is asked for or kept: reporter_digest
-- is an HMAC of the sender's address and the scheme (so that two reports from one address
-- count once), under report_secret, and is cleared after 30 days.
CREATE TABLE scheme_reports (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  scheme_id       uuid NOT NULL REFERENCES schemes(id) ON DELETE CASCADE,
  kind            text NOT NULL CHECK (kind IN ('has_ended', 'wrong_time', 'wrong_place', 'wrong_contact', 'other')),
  message         text CHECK (length(message) <= 1000),
  reporter_digest text,
  created_at      timestamptz NOT NULL,
  mail_job_id     bigint REFERENCES mail_jobs(id),
  closed_at       timestamptz,
  closed_by       uuid
);
CREATE INDEX scheme_reports_scheme ON scheme_reports (scheme_id, created_at);
CREATE INDEX scheme_reports_unmailed ON scheme_reports (created_at) WHERE mail_job_id IS NULL;

CREATE TABLE report_secret (
  secret text NOT NULL
);
-- two gen_random_uuid()s: 244 random bits from the server's strong source (as migrations/0004)
INSERT INTO report_secret (secret) VALUES (replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
