ALTER TABLE instance_settings DROP COLUMN hide_remote_personal_data;
ALTER TABLE groups DROP COLUMN personal_data_patterns;
