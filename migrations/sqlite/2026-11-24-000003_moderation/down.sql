ALTER TABLE posts DROP COLUMN featured;
ALTER TABLE instances DROP COLUMN allowed;
ALTER TABLE instances DROP COLUMN silenced;
DROP TABLE mod_log;
DROP TABLE reports;
