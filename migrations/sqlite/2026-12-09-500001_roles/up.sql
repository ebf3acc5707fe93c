-- The help widget of a group: the sites that may embed it (space-separated origins such
-- as `https://docs.acme.example`). No row, or an empty list, lets any site embed it.
CREATE TABLE group_widgets (
    group_id BIGINT PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
    origins TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Community roles of a group ("Ambassador", "Curator"): a title shown beside the name
-- of its holders, with privileges chosen from a fixed list (space-separated names).
CREATE TABLE group_roles (
    id BIGINT PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    privileges TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (group_id, name)
);

-- Who holds a role, assigned by a moderator.
CREATE TABLE group_role_holders (
    role_id BIGINT NOT NULL REFERENCES group_roles (id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    assigned_by BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (role_id, actor_id)
);
CREATE INDEX group_role_holders_actor ON group_role_holders (actor_id, group_id);
