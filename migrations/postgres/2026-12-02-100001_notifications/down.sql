DROP INDEX reports_resolved;
DROP INDEX badges_awarded;
DROP TABLE cursors;
DROP TABLE notification_prefs;
DROP TABLE notifications;
