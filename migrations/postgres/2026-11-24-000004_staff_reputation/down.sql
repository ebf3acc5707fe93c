DROP TABLE group_privileges;
DROP TABLE badges;
DROP TABLE reputation_scores;
DROP TABLE reputation_events;
DROP TABLE staff_claims;
DROP TABLE group_organisations;
ALTER TABLE users DROP COLUMN organisation_id;
DROP TABLE organisations;
