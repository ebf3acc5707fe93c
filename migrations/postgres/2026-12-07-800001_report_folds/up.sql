-- The report queue groups a group's open reports by what they are about (see
-- queries::moderation::open_folds): this index answers it without reading the rows.
CREATE INDEX reports_folds ON reports (group_id, status, post_id, target_actor_id, created_at);
