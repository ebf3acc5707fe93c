-- Notifications derived from committed state by the notifier (see `domain::notify`).
-- `subject` names what the notification is about (a post, mod-log entry, report or
-- badge id, as the kind needs); the unique key makes deriving twice insert once.
CREATE TABLE notifications (
    id BIGINT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    actor_id BIGINT,
    post_id BIGINT,
    badge TEXT,
    report_id BIGINT,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    -- none | pending (email soon) | digest (next daily digest) | sent
    email_state TEXT NOT NULL DEFAULT 'none',
    emailed_at BIGINT,
    UNIQUE (user_id, kind, subject)
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_email ON notifications (email_state, user_id) WHERE email_state IN ('pending', 'digest');

-- Email choice per user and kind: off | immediately | digest (in-app is always on).
CREATE TABLE notification_prefs (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    email TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Where background scanners (the notifier) have got to, in ms.
CREATE TABLE cursors (
    name TEXT PRIMARY KEY,
    at BIGINT NOT NULL
);

-- The scans read these by time.
CREATE INDEX badges_awarded ON badges (awarded_at);
CREATE INDEX reports_resolved ON reports (resolved_at) WHERE resolved_at IS NOT NULL;
