-- The web app's settings of a user: the language of the pages (NULL: the browser's).
CREATE TABLE user_settings (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    language TEXT
);

-- Self-service deflection on the ask page: one row per ask form (its random token) that
-- opened a suggested question or posted. Opened and not posted = the asker found an
-- answer without asking.
CREATE TABLE ask_sessions (
    token TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    opened_at BIGINT,
    posted_at BIGINT
);
