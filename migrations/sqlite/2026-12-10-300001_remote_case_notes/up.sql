-- The public notes of cases on a question of a group on another server, as its group
-- sent them (`supportNotes`): shown on the thread beside the notes of local cases.
-- Replaced as a whole by each `Update` from the group that carries them.
CREATE TABLE remote_case_notes (
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    organisation TEXT NOT NULL,
    content TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (post_id, position)
);
