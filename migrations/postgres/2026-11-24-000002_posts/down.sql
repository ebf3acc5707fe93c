DROP TABLE votes;
DROP TABLE post_edits;
DROP TABLE posts;
