-- Group settings: a welcome message for newcomers (Markdown, empty for none) and the
-- posting rule (who may ask: everyone, the group's followers, or its members).
ALTER TABLE groups ADD COLUMN welcome_md TEXT NOT NULL DEFAULT '';
ALTER TABLE groups ADD COLUMN who_may_ask TEXT NOT NULL DEFAULT 'everyone'
    CHECK (who_may_ask IN ('everyone', 'followers', 'members'));

-- Who was welcomed to a group, once per person and group, with the message they got:
-- newcomers to a group hosted here (local ones are notified, remote followers get a
-- direct message), and local followers welcomed by a group elsewhere. The notifier reads
-- new rows by their time-ordered id.
CREATE TABLE group_welcomes (
    id BIGINT PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES actors (id),
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    content_html TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (group_id, actor_id)
);
