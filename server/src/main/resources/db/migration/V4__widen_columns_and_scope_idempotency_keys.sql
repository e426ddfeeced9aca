-- Columns sized for everything the contract allows (a too-short column answered 500 with
-- SQLState 22001), and training-job idempotency keys scoped to the caller. Portable SQL:
-- `ALTER COLUMN … SET DATA TYPE` runs on PostgreSQL and H2.
--
-- Worst cases, as the server stores them (JSON escapes a control character as 6 characters):
--   event reasons: "allowed_roles set to [" + 100 roles of 200 characters + "]"      ~ 20,300
--   event actors, created_by: a token's preferred_username (an 8 KiB header at most)
--   allowed_roles / roles: a JSON array of 100 roles of 200 characters, escaped      ~ 120,500
--   run tags and outbox payloads: 50 tags of 200 + 500 characters, escaped, plus the run conf
ALTER TABLE training_job_events ALTER COLUMN reason SET DATA TYPE VARCHAR(100000);
ALTER TABLE training_job_events ALTER COLUMN actor SET DATA TYPE VARCHAR(8192);
ALTER TABLE deployment_events ALTER COLUMN reason SET DATA TYPE VARCHAR(100000);
ALTER TABLE deployment_events ALTER COLUMN actor SET DATA TYPE VARCHAR(8192);
ALTER TABLE deployments ALTER COLUMN allowed_roles SET DATA TYPE VARCHAR(200000);
ALTER TABLE deployment_runs ALTER COLUMN tags SET DATA TYPE VARCHAR(1000000);
ALTER TABLE outbox_tasks ALTER COLUMN payload SET DATA TYPE VARCHAR(1000000);
ALTER TABLE user_psks ALTER COLUMN roles SET DATA TYPE VARCHAR(200000);
ALTER TABLE user_psks ALTER COLUMN created_by SET DATA TYPE VARCHAR(8192);

-- One caller's Idempotency-Key never replays another caller's job: the key is unique per caller
-- (the SHA-256 of the caller's identity; rows from before this migration keep a NULL caller and
-- so never match a new request).
ALTER TABLE training_jobs ADD COLUMN idempotency_caller VARCHAR(64);
ALTER TABLE training_jobs DROP CONSTRAINT training_jobs_idempotency_unique;
ALTER TABLE training_jobs
    ADD CONSTRAINT training_jobs_idempotency_unique UNIQUE (idempotency_caller, idempotency_key);
