DROP INDEX posts_answer_time;
DROP INDEX ask_sessions_group;
ALTER TABLE ask_sessions DROP COLUMN group_id;
DROP TABLE question_acceptances;
