-- An admin's suspension of a local account (the admin console's People page): while
-- suspended_at is set, the account cannot sign in and its sessions are refused; the
-- reason is shown to admins and written to the instance's moderation log.
ALTER TABLE users ADD COLUMN suspended_at BIGINT;
ALTER TABLE users ADD COLUMN suspension_reason TEXT;
