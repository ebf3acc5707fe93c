DROP INDEX posts_active;
