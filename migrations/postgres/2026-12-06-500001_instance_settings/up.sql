-- What an admin sets on the admin console's Instance page. One row (id 1); a NULL column
-- means "as configured" (the command-line flag or PEERDESK_* variable of the same name).
CREATE TABLE instance_settings (
    id INTEGER PRIMARY KEY,
    name TEXT,
    description TEXT,
    -- open | closed | invite
    registrations TEXT,
    -- anyone | granted (admins and the users an admin allowed)
    group_creation TEXT,
    -- blocklist | allowlist
    federation_mode TEXT,
    rate_limits BOOLEAN,
    instance_post_limit INTEGER,
    instance_vote_limit INTEGER,
    instance_report_limit INTEGER,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);

-- Invitations to register while registrations are by invitation. Only a hash of the
-- code is kept; the code is shown once, to the admin who made it.
CREATE TABLE invitations (
    id BIGINT PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    note TEXT NOT NULL,
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    expires_at BIGINT,
    revoked BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
