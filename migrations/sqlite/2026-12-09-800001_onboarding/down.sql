DROP TABLE person_follows;
DROP TABLE tag_follows;
