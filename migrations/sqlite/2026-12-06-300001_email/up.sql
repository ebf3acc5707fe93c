-- A user's email address (one each), verified or not, and the language of its emails.
CREATE TABLE user_emails (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    verified_at BIGINT,
    lang TEXT NOT NULL DEFAULT 'en',
    updated_at BIGINT NOT NULL
);
-- A verified address belongs to one account (unverified ones cannot squat it).
CREATE UNIQUE INDEX user_emails_verified ON user_emails (lower(address)) WHERE verified_at IS NOT NULL;

-- Single-use tokens sent by email (address verification, password reset): only the
-- SHA-256 of each token is stored.
CREATE TABLE email_tokens (
    hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- verify | reset
    purpose TEXT NOT NULL,
    -- the address a verification token verifies
    address TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

-- Emails to send, written in the transaction that causes them and sent by the mail
-- worker with retries. `payload` (what the kind needs, JSON) is emptied once sent.
CREATE TABLE mail_outbox (
    id BIGINT PRIMARY KEY,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    to_address TEXT NOT NULL,
    -- verify | reset | notification | digest
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    lang TEXT NOT NULL,
    -- pending | sending (leased until next_attempt_at) | sent | failed
    state TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE state IN ('pending', 'sending');
