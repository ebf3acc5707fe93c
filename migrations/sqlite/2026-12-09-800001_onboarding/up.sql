-- Tags and people a local person follows: a new question with a followed tag (asked in
-- a group of this instance) or by a followed person (here or elsewhere) notifies them.
-- Kept here only: no activity tells anyone.
CREATE TABLE tag_follows (
    actor_id BIGINT NOT NULL,
    tag TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (actor_id, tag)
);
CREATE INDEX tag_follows_tag ON tag_follows (tag);
CREATE TABLE person_follows (
    actor_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (actor_id, person_id)
);
CREATE INDEX person_follows_person ON person_follows (person_id);
