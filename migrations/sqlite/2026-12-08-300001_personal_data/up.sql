-- Personal data: the patterns a group's moderators name (one `name: regex` a line), found
-- in questions and answers besides e-mail addresses, phone and card numbers; and the
-- admin's choice to hide detected personal data in posts from other servers on public
-- pages (NULL: as configured).
ALTER TABLE groups ADD COLUMN personal_data_patterns TEXT NOT NULL DEFAULT '';
ALTER TABLE instance_settings ADD COLUMN hide_remote_personal_data BOOLEAN;
