DROP TABLE crm_tokens;
DROP TABLE case_messages;
DROP TABLE case_questions;
DROP TABLE cases;
DROP TABLE case_counter;
