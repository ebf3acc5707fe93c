DROP TABLE invitations;
DROP TABLE instance_settings;
