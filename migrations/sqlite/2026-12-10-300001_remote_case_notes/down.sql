DROP TABLE remote_case_notes;
