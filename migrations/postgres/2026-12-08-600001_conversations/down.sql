DROP TABLE conversation_reads;
DROP TABLE conversation_messages;
DROP TABLE conversations;
