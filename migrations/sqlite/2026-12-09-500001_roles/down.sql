DROP TABLE group_role_holders;
DROP TABLE group_roles;
DROP TABLE group_widgets;
