DROP TABLE group_welcomes;
ALTER TABLE groups DROP COLUMN who_may_ask;
ALTER TABLE groups DROP COLUMN welcome_md;
