-- Support metrics (the metrics pages, their CSV and API, and the per-group Prometheus
-- gauges). When a question's current answer was accepted: the time to an accepted
-- answer is measured to it. Questions accepted before this migration count from the
-- accepted answer's publication.
CREATE TABLE question_acceptances (
    question_id BIGINT PRIMARY KEY,
    accepted_at BIGINT NOT NULL
);
INSERT INTO question_acceptances (question_id, accepted_at)
SELECT q.id, a.published_at FROM posts q JOIN posts a ON a.id = q.accepted_answer_id
WHERE q.kind = 'question';
-- The group whose question an ask form opened or posted (per-group deflection).
ALTER TABLE ask_sessions ADD COLUMN group_id BIGINT;
CREATE INDEX ask_sessions_group ON ask_sessions (group_id, opened_at);
-- A question's earliest answer without reading all its answers.
CREATE INDEX posts_answer_time ON posts (question_id, published_at) WHERE kind = 'answer';
