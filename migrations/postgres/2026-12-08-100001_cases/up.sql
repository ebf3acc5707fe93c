-- Cases: an organisation's private conversation with one customer, linked to questions.
-- Numbers are per instance and human readable (#1001, #1002, ...): the one row of
-- case_counter is bumped in the transaction that opens a case (a row lock serialises
-- concurrent openings on PostgreSQL).
CREATE TABLE case_counter (
    id INTEGER PRIMARY KEY,
    last_number BIGINT NOT NULL
);
INSERT INTO case_counter (id, last_number) VALUES (1, 1000);

CREATE TABLE cases (
    id BIGINT PRIMARY KEY,
    number BIGINT NOT NULL UNIQUE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    -- the group (actor) the case came from, if any
    group_id BIGINT,
    -- the customer's actor (local or remote)
    customer_id BIGINT NOT NULL,
    subject TEXT NOT NULL,
    -- open | pending_customer | pending_company | solved | closed
    status TEXT NOT NULL,
    -- low | normal | high | urgent
    priority TEXT NOT NULL,
    -- a staff member's actor
    assignee_id BIGINT,
    -- customer | staff | rule | personal_data
    origin TEXT NOT NULL,
    -- the staff member's actor (staff) or the rule's id (rule)
    origin_ref BIGINT,
    -- the CRM's own ticket id, attached by the CRM
    crm_ticket_id TEXT,
    -- what the public thread shows, chosen by staff (never the private details)
    public_note TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cases_org ON cases (organisation_id, status);
CREATE INDEX cases_customer ON cases (customer_id, status);

CREATE TABLE case_questions (
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, question_id)
);
CREATE INDEX case_questions_question ON case_questions (question_id);

-- The private conversation. `ap_id` is the id of the direct Note of a message sent to
-- (or received from) a customer on another server: replies chain by inReplyTo.
CREATE TABLE case_messages (
    id BIGINT PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    -- customer | staff | crm | system
    author_kind TEXT NOT NULL,
    author_id BIGINT,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    ap_id TEXT UNIQUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX case_messages_case ON case_messages (case_id, id);

-- Organisation-scoped API tokens of CRMs: only the SHA-256 of the token is stored.
CREATE TABLE crm_tokens (
    id BIGINT PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    -- the token's first characters, to recognise it in lists
    prefix TEXT NOT NULL,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX crm_tokens_org ON crm_tokens (organisation_id);
