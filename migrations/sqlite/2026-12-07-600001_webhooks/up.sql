-- Outgoing webhooks of organisations (Standard Webhooks): endpoints, their signing
-- secrets (several active during a rotation) and the persistent delivery queue, which
-- is also the delivery log.
CREATE TABLE webhook_endpoints (
    id BIGINT PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    -- event types, space-separated (question.created answer.created ...)
    events TEXT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    -- why it was disabled (by someone, or after failing too long)
    disabled_reason TEXT,
    -- when the current run of failed attempts began (NULL after a success)
    failing_since BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints (organisation_id);

CREATE TABLE webhook_secrets (
    id BIGINT PRIMARY KEY,
    endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    -- whsec_ followed by the base64 of the key
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_secrets_endpoint ON webhook_secrets (endpoint_id);

-- One row per (event, endpoint); `id` is the webhook-id (msg_ID) the receiver sees.
CREATE TABLE webhook_deliveries (
    id BIGINT PRIMARY KEY,
    endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- pending | delivered | failed
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    response_code INTEGER,
    delivered_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
