-- A thread's answers are read a page at a time, best first: the index serves that order
-- (and every other lookup by question) without a sort over the whole thread.
DROP INDEX posts_question;
CREATE INDEX posts_question ON posts (question_id, kind, (upvotes - downvotes) DESC, published_at, id);
