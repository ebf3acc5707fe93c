DROP INDEX posts_unaccepted;
DROP INDEX posts_unanswered;
DROP TABLE escalations;
DROP TABLE escalation_rules;
