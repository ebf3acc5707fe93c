DROP TABLE listening_items;
DROP TABLE listening_terms;
DROP TABLE listening_relays;
