DROP TABLE post_contexts;
