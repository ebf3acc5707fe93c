-- A group's questions by latest activity (the "active" list, also "solved"): only
-- questions are indexed, so answers cost nothing more to insert. Queries name
-- kind = 'question' as a literal so that the planner can use this partial index.
CREATE INDEX posts_active ON posts (group_id, last_activity_at, id) WHERE kind = 'question';
