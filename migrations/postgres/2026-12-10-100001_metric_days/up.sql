-- Daily roll-ups of the support metrics of local groups (see src/db/queries/metric_days.rs):
-- one row per group and UTC day (days since 1970-01-01) with the questions asked that
-- day, the sorted seconds to their first and accepted answers (u32 little-endian each),
-- and the answers published that day. A year of a busy group is then 365 rows instead of
-- 100,000 questions. Rows are computed on demand and dropped when their day is marked.
CREATE TABLE metric_days (
    group_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    questions BIGINT NOT NULL,
    first_secs BYTEA NOT NULL,
    accepted_secs BYTEA NOT NULL,
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

-- Marks a day, and holds a key-share lock on the mark until the writing transaction
-- ends: a reader that consumes marks (`FOR UPDATE SKIP LOCKED`) then leaves it to a
-- later pass instead of consuming it before the change it stands for is visible.
CREATE FUNCTION metric_mark(g BIGINT, d BIGINT) RETURNS void AS $$
BEGIN
    LOOP
        INSERT INTO metric_marks (group_id, day) VALUES (g, d) ON CONFLICT DO NOTHING;
        PERFORM 1 FROM metric_marks WHERE group_id = g AND day = d FOR KEY SHARE;
        EXIT WHEN FOUND;
    END LOOP;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION metric_local_group(g BIGINT) RETURNS boolean AS $$
    SELECT EXISTS (SELECT 1 FROM actors WHERE id = g AND local AND kind = 'Group')
$$ LANGUAGE sql STABLE;

CREATE FUNCTION posts_metric() RETURNS trigger AS $$
DECLARE
    r RECORD;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.kind IN ('question', 'answer')
        AND metric_local_group(OLD.group_id) THEN
        PERFORM metric_mark(OLD.group_id, OLD.published_at / 86400000);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.kind IN ('question', 'answer')
        AND metric_local_group(NEW.group_id) THEN
        PERFORM metric_mark(NEW.group_id, NEW.published_at / 86400000);
    END IF;
    -- A question's answers count only while it is listed.
    IF (TG_OP = 'DELETE' AND OLD.kind = 'question') OR (TG_OP = 'UPDATE'
        AND 'question' IN (OLD.kind, NEW.kind)
        AND (OLD.kind IS DISTINCT FROM NEW.kind OR OLD.deleted IS DISTINCT FROM NEW.deleted
            OR OLD.removed IS DISTINCT FROM NEW.removed
            OR OLD.public IS DISTINCT FROM NEW.public
            OR OLD.author_id IS DISTINCT FROM NEW.author_id)) THEN
        FOR r IN SELECT DISTINCT a.group_id AS g, a.published_at / 86400000 AS d
            FROM posts a WHERE a.question_id = OLD.id AND a.kind = 'answer'
            AND metric_local_group(a.group_id) LOOP
            PERFORM metric_mark(r.g, r.d);
        END LOOP;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER posts_metric_insert AFTER INSERT ON posts
FOR EACH ROW WHEN (NEW.kind IN ('question', 'answer')) EXECUTE FUNCTION posts_metric();
CREATE TRIGGER posts_metric_update AFTER UPDATE OF kind, group_id, published_at,
    first_answer_at, accepted_at, deleted, removed, public, author_id, question_id ON posts
FOR EACH ROW WHEN ((OLD.kind IN ('question', 'answer') OR NEW.kind IN ('question', 'answer'))
    AND (OLD.kind IS DISTINCT FROM NEW.kind OR OLD.group_id IS DISTINCT FROM NEW.group_id
        OR OLD.published_at IS DISTINCT FROM NEW.published_at
        OR OLD.first_answer_at IS DISTINCT FROM NEW.first_answer_at
        OR OLD.accepted_at IS DISTINCT FROM NEW.accepted_at
        OR OLD.deleted IS DISTINCT FROM NEW.deleted OR OLD.removed IS DISTINCT FROM NEW.removed
        OR OLD.public IS DISTINCT FROM NEW.public
        OR OLD.author_id IS DISTINCT FROM NEW.author_id
        OR OLD.question_id IS DISTINCT FROM NEW.question_id))
EXECUTE FUNCTION posts_metric();
CREATE TRIGGER posts_metric_delete AFTER DELETE ON posts
FOR EACH ROW WHEN (OLD.kind IN ('question', 'answer')) EXECUTE FUNCTION posts_metric();

-- Who is limited (blocked or silenced instances) and who is staff, changed: every row.
CREATE FUNCTION metric_mark_all() RETURNS trigger AS $$
BEGIN
    PERFORM metric_mark(0, -1);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER instances_metric_insert AFTER INSERT ON instances
FOR EACH ROW WHEN (NEW.blocked OR NEW.silenced) EXECUTE FUNCTION metric_mark_all();
CREATE TRIGGER instances_metric_update AFTER UPDATE OF blocked, silenced ON instances
FOR EACH ROW WHEN (OLD.blocked IS DISTINCT FROM NEW.blocked
    OR OLD.silenced IS DISTINCT FROM NEW.silenced) EXECUTE FUNCTION metric_mark_all();
CREATE TRIGGER instances_metric_delete AFTER DELETE ON instances
FOR EACH ROW WHEN (OLD.blocked OR OLD.silenced) EXECUTE FUNCTION metric_mark_all();
CREATE TRIGGER users_metric_insert AFTER INSERT ON users
FOR EACH ROW WHEN (NEW.organisation_id IS NOT NULL) EXECUTE FUNCTION metric_mark_all();
CREATE TRIGGER users_metric_update AFTER UPDATE OF organisation_id, actor_id ON users
FOR EACH ROW WHEN (OLD.organisation_id IS DISTINCT FROM NEW.organisation_id
    OR OLD.actor_id IS DISTINCT FROM NEW.actor_id) EXECUTE FUNCTION metric_mark_all();
CREATE TRIGGER users_metric_delete AFTER DELETE ON users
FOR EACH ROW WHEN (OLD.organisation_id IS NOT NULL) EXECUTE FUNCTION metric_mark_all();
CREATE TRIGGER staff_claims_metric_insert AFTER INSERT ON staff_claims
FOR EACH ROW WHEN (NEW.verified) EXECUTE FUNCTION metric_mark_all();
CREATE TRIGGER staff_claims_metric_update AFTER UPDATE OF verified, org_domain, actor_id
    ON staff_claims
FOR EACH ROW WHEN (OLD.verified IS DISTINCT FROM NEW.verified
    OR OLD.org_domain IS DISTINCT FROM NEW.org_domain
    OR OLD.actor_id IS DISTINCT FROM NEW.actor_id) EXECUTE FUNCTION metric_mark_all();
CREATE TRIGGER staff_claims_metric_delete AFTER DELETE ON staff_claims
FOR EACH ROW WHEN (OLD.verified) EXECUTE FUNCTION metric_mark_all();
CREATE TRIGGER organisations_metric_update AFTER UPDATE OF domain ON organisations
FOR EACH ROW WHEN (OLD.domain IS DISTINCT FROM NEW.domain) EXECUTE FUNCTION metric_mark_all();
CREATE TRIGGER group_organisations_metric_insert AFTER INSERT ON group_organisations
FOR EACH ROW EXECUTE FUNCTION metric_mark_all();
CREATE TRIGGER group_organisations_metric_delete AFTER DELETE ON group_organisations
FOR EACH ROW EXECUTE FUNCTION metric_mark_all();

-- The unanswered backlog is counted from its own small index.
CREATE INDEX posts_backlog ON posts (group_id, published_at, deleted, removed, public,
    author_id) WHERE kind = 'question' AND first_answer_at IS NULL;
CREATE INDEX posts_first_answer ON posts (group_id, first_answer_at, published_at)
    WHERE kind = 'question' AND first_answer_at IS NOT NULL;
CREATE INDEX cases_group ON cases (group_id, created_at);
