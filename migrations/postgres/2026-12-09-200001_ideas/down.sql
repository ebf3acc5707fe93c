DROP TABLE idea_follows;
DROP TABLE idea_status_changes;
DROP TABLE ideas;
DROP TABLE group_kinds;
