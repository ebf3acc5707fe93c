DROP TABLE staff_approvals;
DROP TABLE question_claims;
