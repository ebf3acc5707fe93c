-- The staff console. A staff member's claim on a question ("I'm on it"): one claim per
-- question, seen by the other staff of the organisation in the inbox and on the thread.
CREATE TABLE question_claims (
    question_id BIGINT PRIMARY KEY REFERENCES posts (id),
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    claimed_at BIGINT NOT NULL
);
CREATE INDEX question_claims_org ON question_claims (organisation_id);

-- A community answer marked staff-approved by a staff member of an organisation that the
-- answer's group recognises. Withdrawing the mark deletes the row.
CREATE TABLE staff_approvals (
    answer_id BIGINT PRIMARY KEY REFERENCES posts (id),
    actor_id BIGINT NOT NULL REFERENCES actors (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    approved_at BIGINT NOT NULL
);
