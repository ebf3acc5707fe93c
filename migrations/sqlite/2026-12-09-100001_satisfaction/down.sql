DROP INDEX posts_survey_due;
DROP INDEX question_acceptances_at;
DROP INDEX posts_metrics;
ALTER TABLE posts DROP COLUMN accepted_at;
ALTER TABLE posts DROP COLUMN first_answer_at;
DROP TABLE surveys;
