DROP INDEX posts_question;
CREATE INDEX posts_question ON posts (question_id);
