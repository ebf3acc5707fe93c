-- The durable inbound queue: verified activities accepted (202) before processing,
-- when the inbox runs with --inbox-queue. One row per activity; the id was recorded in
-- received_activities at the same time, so duplicates never enter.
CREATE TABLE inbound_queue (
    id BIGINT PRIMARY KEY,
    -- The verified sender (actors.id); no foreign key, so that a purge never waits on it.
    signer_id BIGINT NOT NULL,
    activity TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX inbound_queue_due ON inbound_queue (next_attempt_at);
