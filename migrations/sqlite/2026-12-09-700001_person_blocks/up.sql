-- People a local person blocked: they cannot write to them, their direct messages from
-- other servers are dropped, and they notify them of nothing. Kept here only: no Block
-- activity tells the blocked person.
CREATE TABLE person_blocks (
    actor_id BIGINT NOT NULL,
    blocked_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (actor_id, blocked_id)
);
CREATE INDEX person_blocks_blocked ON person_blocks (blocked_id);
