DROP TRIGGER posts_fts_delete;
DROP TRIGGER posts_fts_update;
DROP TRIGGER posts_fts_insert;
DROP TABLE posts_fts;
DROP TABLE votes;
DROP TABLE post_edits;
DROP TABLE posts;
