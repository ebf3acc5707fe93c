-- Self-service through search: a click on a search result (a question, an answer or a
-- knowledge article), counted for the result's group. The click is deflection unless the
-- same person (signed in, or the same browser before signing in) asks a question within
-- a day of it (`asked_at`).
CREATE TABLE search_clicks (
    id BIGINT PRIMARY KEY,
    group_id BIGINT NOT NULL,
    -- the signed-in person's actor (none for a visitor)
    actor_id BIGINT,
    -- a random value kept in the browser's `pd_search` cookie for a day
    browser TEXT NOT NULL,
    clicked_at BIGINT NOT NULL,
    asked_at BIGINT
);
CREATE INDEX search_clicks_group ON search_clicks (group_id, clicked_at);
CREATE INDEX search_clicks_actor ON search_clicks (actor_id, clicked_at);
CREATE INDEX search_clicks_browser ON search_clicks (browser);
