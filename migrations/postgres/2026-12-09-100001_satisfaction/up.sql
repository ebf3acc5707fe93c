-- Satisfaction surveys: "Did this solve your problem?", asked of a question's asker
-- once (the unique key on the question: two processes racing on one database agree
-- on it) when an answer is accepted or when the question has answers but none
-- accepted after --satisfaction-after-days days. A local asker answers on a page
-- (or the API); a remote one by a direct reply to the survey's Note or a Like/Dislike
-- of it. The first answer is kept.
CREATE TABLE surveys (
    id BIGINT PRIMARY KEY,
    question_id BIGINT NOT NULL UNIQUE REFERENCES posts (id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL,
    -- the asker's actor
    asker_id BIGINT NOT NULL,
    -- accepted | days: what made it due
    reason TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    -- the id of the direct message's Note (remote askers only)
    note_ap_id TEXT UNIQUE,
    -- yes | no (none before an answer)
    answer TEXT,
    answer_comment TEXT,
    answered_at BIGINT
);
CREATE INDEX surveys_group_sent ON surveys (group_id, sent_at);
-- The survey pass's scans: recent acceptances, and answered questions none accepted.
CREATE INDEX question_acceptances_at ON question_acceptances (accepted_at);
CREATE INDEX posts_survey_due ON posts (published_at)
    WHERE kind = 'question' AND accepted_answer_id IS NULL AND answer_count > 0;

-- The metrics pages read each question's first answer and acceptance from its own row
-- instead of from its answers: the earliest publication of an answer neither deleted
-- nor removed, and when its current accepted answer was accepted. Kept by every path
-- that adds, deletes, removes or restores answers or changes the acceptance.
ALTER TABLE posts ADD COLUMN first_answer_at BIGINT;
ALTER TABLE posts ADD COLUMN accepted_at BIGINT;
UPDATE posts SET first_answer_at = (SELECT MIN(a.published_at) FROM posts a
    WHERE a.question_id = posts.id AND a.kind = 'answer' AND NOT a.deleted AND NOT a.removed)
    WHERE kind = 'question';
UPDATE posts SET accepted_at = (SELECT x.accepted_at FROM question_acceptances x
    WHERE x.question_id = posts.id)
    WHERE kind = 'question' AND accepted_answer_id IS NOT NULL;
-- A group's questions and answers by publication with all that the metrics read of
-- them, so that a year of a busy group is read from the index alone.
CREATE INDEX posts_metrics ON posts (group_id, kind, published_at, first_answer_at,
    accepted_at, deleted, removed, public, author_id, question_id, id);
