-- Issue 14: webhooks. Subscriptions, an outbox written in the same transaction as the change
-- (by changes_record, the one place every write path passes: 0016), and a delivery log.
-- src/feeds/webhooks/* fans the outbox out to the subscriptions and delivers; docs/feeds.md.

CREATE TABLE webhook_subscriptions (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  url                  text NOT NULL,
  events               text[] NOT NULL CHECK (cardinality(events) > 0),
  -- null: every organisation (an admin's subscription)
  organisation_id      uuid REFERENCES organisations(id),
  -- the HMAC key: kept as given out, since signing needs it (docs/security.md)
  secret               text NOT NULL,
  created_by           uuid REFERENCES api_keys(id),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  disabled_at          timestamptz,
  disabled_reason      text,
  consecutive_failures integer NOT NULL DEFAULT 0
);
CREATE INDEX webhook_subscriptions_organisation ON webhook_subscriptions (organisation_id);

-- One row per change, in the writing transaction; the dispatcher turns each into deliveries
-- and deletes it (consumed rows, no cursor: a row committed late is still there to take).
CREATE TABLE webhook_outbox (
  seq         bigserial PRIMARY KEY,
  kind        text NOT NULL,
  id          uuid NOT NULL,
  event       text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  -- one event per resource and transaction: a create that also writes its sessions is one
  -- `created`, not `created` then `updated`
  txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
  UNIQUE (kind, id, txid)
);

CREATE TABLE webhook_deliveries (
  id               bigserial PRIMARY KEY,
  subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
  event            text NOT NULL,
  kind             text NOT NULL,
  resource_id      uuid NOT NULL,
  payload          jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  locked_until     timestamptz,
  last_status_code integer,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz
);
-- Due deliveries, and the per-resource order (an earlier pending one holds a later one back).
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_resource ON webhook_deliveries (subscription_id, kind, resource_id, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, id);

-- changes_record (0016) now also writes the outbox while any subscription is active:
-- <kind>.created for a resource the feed had not seen, <kind>.deleted for a deletion,
-- <kind>.updated otherwise.
CREATE OR REPLACE FUNCTION changes_record(k text, ids uuid[], gone boolean[]) RETURNS void LANGUAGE sql AS $$
  SELECT set_config('signpost.changes_numbered', '', true);
  WITH written AS (
    INSERT INTO changes AS c (kind, id, change_number, modified, deleted)
    SELECT DISTINCT ON (x.id) k, x.id, NULL, now(), x.gone
    FROM unnest(ids, gone) AS x(id, gone) WHERE x.id IS NOT NULL
    ORDER BY x.id
    ON CONFLICT (kind, id) DO UPDATE SET change_number = NULL, modified = now(), deleted = EXCLUDED.deleted
    RETURNING c.id, c.deleted, (c.xmax = 0) AS inserted
  )
  INSERT INTO webhook_outbox (kind, id, event)
  SELECT k, w.id, k || CASE WHEN w.deleted THEN '.deleted' WHEN w.inserted THEN '.created' ELSE '.updated' END
  FROM written w
  WHERE EXISTS (SELECT 1 FROM webhook_subscriptions WHERE disabled_at IS NULL)
  ORDER BY w.id
  ON CONFLICT (kind, id, txid) DO UPDATE SET occurred_at = now(), event = CASE
    WHEN webhook_outbox.event LIKE '%.created' AND EXCLUDED.event LIKE '%.updated' THEN webhook_outbox.event
    ELSE EXCLUDED.event END;
$$;
