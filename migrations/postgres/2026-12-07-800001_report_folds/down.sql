DROP INDEX reports_folds;
