DROP INDEX follows_pending;
DROP TABLE group_invites;
