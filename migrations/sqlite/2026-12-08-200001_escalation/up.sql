-- Escalation rules of a group: when a question matches one, the evaluator (a background
-- pass every --escalation-interval seconds) escalates it to the rule's organisation.
CREATE TABLE escalation_rules (
    id BIGINT PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    -- unanswered_hours | unaccepted_days | open_case | keyword | tag
    kind TEXT NOT NULL,
    -- hours or days (as typed), the keyword (lower case) or the tag
    parameter TEXT NOT NULL,
    -- the hours or days in ms (0 for the other kinds)
    wait_ms BIGINT NOT NULL DEFAULT 0,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    -- low | normal | high | urgent (the priority of the case it opens)
    priority TEXT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    -- the moderator's actor
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX escalation_rules_group ON escalation_rules (group_id);
CREATE INDEX escalation_rules_kind ON escalation_rules (kind, enabled);

-- What the rules escalated. A rule escalates a question at most once: the unique key
-- is what two processes racing on one database agree on (the one whose insert lands
-- opens the case, notifies and queues the webhook, in the same transaction).
CREATE TABLE escalations (
    id BIGINT PRIMARY KEY,
    rule_id BIGINT NOT NULL REFERENCES escalation_rules (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL,
    organisation_id BIGINT NOT NULL,
    priority TEXT NOT NULL,
    -- the case opened in the organisation's queue (none before cases existed)
    case_id BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (rule_id, question_id)
);
CREATE INDEX escalations_group ON escalations (group_id, created_at);
-- The time rules' scans: a group's open questions by publication, smallest first.
CREATE INDEX posts_unanswered ON posts (group_id, published_at) WHERE kind = 'question' AND answer_count = 0;
CREATE INDEX posts_unaccepted ON posts (group_id, published_at) WHERE kind = 'question' AND accepted_answer_id IS NULL;
