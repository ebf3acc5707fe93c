DROP TABLE ask_sessions;
DROP TABLE user_settings;
