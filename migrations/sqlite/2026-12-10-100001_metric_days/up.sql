-- Daily roll-ups of the support metrics of local groups (see src/db/queries/metric_days.rs):
-- one row per group and UTC day (days since 1970-01-01) with the questions asked that
-- day, the sorted seconds to their first and accepted answers (u32 little-endian each),
-- and the answers published that day. A year of a busy group is then 365 rows instead of
-- 100,000 questions. Rows are computed on demand and dropped when their day is marked.
CREATE TABLE metric_days (
    group_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    questions BIGINT NOT NULL,
    first_secs BLOB NOT NULL,
    accepted_secs BLOB NOT NULL,
    answers BIGINT NOT NULL,
    staff_answers BIGINT NOT NULL,
    computed_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, day)
);

-- Days whose roll-up is stale: written by the triggers below in the same transaction
-- as the change, so that no path that changes posts can forget it. Group 0, day -1:
-- every row of every group (who counts as staff, or which instances are limited,
-- changed).
CREATE TABLE metric_marks (
    group_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    PRIMARY KEY (group_id, day)
);

CREATE TRIGGER posts_metric_insert AFTER INSERT ON posts
WHEN NEW.kind IN ('question', 'answer')
    AND EXISTS (SELECT 1 FROM actors g WHERE g.id = NEW.group_id AND g.local AND g.kind = 'Group')
BEGIN
    INSERT OR IGNORE INTO metric_marks (group_id, day)
        VALUES (NEW.group_id, NEW.published_at / 86400000);
END;

CREATE TRIGGER posts_metric_update AFTER UPDATE OF kind, group_id, published_at,
    first_answer_at, accepted_at, deleted, removed, public, author_id, question_id ON posts
WHEN (OLD.kind IN ('question', 'answer') OR NEW.kind IN ('question', 'answer'))
    AND (OLD.kind IS NOT NEW.kind OR OLD.group_id IS NOT NEW.group_id
        OR OLD.published_at IS NOT NEW.published_at
        OR OLD.first_answer_at IS NOT NEW.first_answer_at
        OR OLD.accepted_at IS NOT NEW.accepted_at OR OLD.deleted IS NOT NEW.deleted
        OR OLD.removed IS NOT NEW.removed OR OLD.public IS NOT NEW.public
        OR OLD.author_id IS NOT NEW.author_id OR OLD.question_id IS NOT NEW.question_id)
BEGIN
    INSERT OR IGNORE INTO metric_marks (group_id, day)
        SELECT OLD.group_id, OLD.published_at / 86400000
        WHERE EXISTS (SELECT 1 FROM actors g WHERE g.id = OLD.group_id AND g.local AND g.kind = 'Group');
    INSERT OR IGNORE INTO metric_marks (group_id, day)
        SELECT NEW.group_id, NEW.published_at / 86400000
        WHERE EXISTS (SELECT 1 FROM actors g WHERE g.id = NEW.group_id AND g.local AND g.kind = 'Group');
    -- A question's answers count only while it is listed.
    INSERT OR IGNORE INTO metric_marks (group_id, day)
        SELECT DISTINCT a.group_id, a.published_at / 86400000 FROM posts a
        WHERE a.question_id = NEW.id AND a.kind = 'answer'
        AND 'question' IN (OLD.kind, NEW.kind)
        AND (OLD.kind IS NOT NEW.kind OR OLD.deleted IS NOT NEW.deleted
            OR OLD.removed IS NOT NEW.removed OR OLD.public IS NOT NEW.public
            OR OLD.author_id IS NOT NEW.author_id)
        AND EXISTS (SELECT 1 FROM actors g WHERE g.id = a.group_id AND g.local AND g.kind = 'Group');
END;

CREATE TRIGGER posts_metric_delete AFTER DELETE ON posts
WHEN OLD.kind IN ('question', 'answer')
    AND EXISTS (SELECT 1 FROM actors g WHERE g.id = OLD.group_id AND g.local AND g.kind = 'Group')
BEGIN
    INSERT OR IGNORE INTO metric_marks (group_id, day)
        VALUES (OLD.group_id, OLD.published_at / 86400000);
    INSERT OR IGNORE INTO metric_marks (group_id, day)
        SELECT DISTINCT a.group_id, a.published_at / 86400000 FROM posts a
        WHERE a.question_id = OLD.id AND a.kind = 'answer' AND OLD.kind = 'question'
        AND a.group_id IS NOT NULL;
END;

-- Who is limited (blocked or silenced instances) and who is staff, changed: every row.
CREATE TRIGGER instances_metric_insert AFTER INSERT ON instances
WHEN NEW.blocked OR NEW.silenced
BEGIN INSERT OR IGNORE INTO metric_marks (group_id, day) VALUES (0, -1); END;
CREATE TRIGGER instances_metric_update AFTER UPDATE OF blocked, silenced ON instances
WHEN OLD.blocked IS NOT NEW.blocked OR OLD.silenced IS NOT NEW.silenced
BEGIN INSERT OR IGNORE INTO metric_marks (group_id, day) VALUES (0, -1); END;
CREATE TRIGGER instances_metric_delete AFTER DELETE ON instances
WHEN OLD.blocked OR OLD.silenced
BEGIN INSERT OR IGNORE INTO metric_marks (group_id, day) VALUES (0, -1); END;
CREATE TRIGGER users_metric_insert AFTER INSERT ON users
WHEN NEW.organisation_id IS NOT NULL
BEGIN INSERT OR IGNORE INTO metric_marks (group_id, day) VALUES (0, -1); END;
CREATE TRIGGER users_metric_update AFTER UPDATE OF organisation_id, actor_id ON users
WHEN OLD.organisation_id IS NOT NEW.organisation_id OR OLD.actor_id IS NOT NEW.actor_id
BEGIN INSERT OR IGNORE INTO metric_marks (group_id, day) VALUES (0, -1); END;
CREATE TRIGGER users_metric_delete AFTER DELETE ON users
WHEN OLD.organisation_id IS NOT NULL
BEGIN INSERT OR IGNORE INTO metric_marks (group_id, day) VALUES (0, -1); END;
CREATE TRIGGER staff_claims_metric_insert AFTER INSERT ON staff_claims
WHEN NEW.verified
BEGIN INSERT OR IGNORE INTO metric_marks (group_id, day) VALUES (0, -1); END;
CREATE TRIGGER staff_claims_metric_update AFTER UPDATE OF verified, org_domain, actor_id
    ON staff_claims
WHEN OLD.verified IS NOT NEW.verified OR OLD.org_domain IS NOT NEW.org_domain
    OR OLD.actor_id IS NOT NEW.actor_id
BEGIN INSERT OR IGNORE INTO metric_marks (group_id, day) VALUES (0, -1); END;
CREATE TRIGGER staff_claims_metric_delete AFTER DELETE ON staff_claims
WHEN OLD.verified
BEGIN INSERT OR IGNORE INTO metric_marks (group_id, day) VALUES (0, -1); END;
CREATE TRIGGER organisations_metric_update AFTER UPDATE OF domain ON organisations
WHEN OLD.domain IS NOT NEW.domain
BEGIN INSERT OR IGNORE INTO metric_marks (group_id, day) VALUES (0, -1); END;
CREATE TRIGGER group_organisations_metric_insert AFTER INSERT ON group_organisations
BEGIN INSERT OR IGNORE INTO metric_marks (group_id, day) VALUES (0, -1); END;
CREATE TRIGGER group_organisations_metric_delete AFTER DELETE ON group_organisations
BEGIN INSERT OR IGNORE INTO metric_marks (group_id, day) VALUES (0, -1); END;

-- The unanswered backlog is counted from its own small index.
CREATE INDEX posts_backlog ON posts (group_id, published_at, deleted, removed, public,
    author_id) WHERE kind = 'question' AND first_answer_at IS NULL;
CREATE INDEX posts_first_answer ON posts (group_id, first_answer_at, published_at)
    WHERE kind = 'question' AND first_answer_at IS NOT NULL;
CREATE INDEX cases_group ON cases (group_id, created_at);
