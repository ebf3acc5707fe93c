DROP TABLE inbound_queue;
