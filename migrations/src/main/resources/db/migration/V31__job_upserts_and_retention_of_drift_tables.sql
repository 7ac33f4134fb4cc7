-- V30's tables were made after V15, whose default privileges give the job SELECT and INSERT only: the job upserts a
-- batch's dead-letter counts (a batch run again after a restart writes its row again) and each hour's drift (an hour
-- measured again after a restart), so it may update those values, and nothing else.
GRANT UPDATE (dead_letters) ON fraudwatch.batch_dead_letters TO fraudwatch_job;
GRANT UPDATE (psi, transactions, window_hours, computed_at) ON fraudwatch.drift TO fraudwatch_job;
-- the operator reads them (the dashboard reads as the analyst) and trims them for retention
GRANT SELECT, DELETE ON fraudwatch.batch_dead_letters, fraudwatch.drift TO fraudwatch_operator;
-- the operator stores model versions (models train, import, the CLI) and each one's training distribution with it
GRANT SELECT, INSERT ON fraudwatch.model_distributions TO fraudwatch_operator;
