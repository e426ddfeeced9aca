-- Run-now overrides: the table a run writes (the deployment's, or one given at trigger time) and
-- the free settings handed to the scorer; the cross-deployment run list (GET /api/runs) and its
-- orders. Portable SQL: runs on PostgreSQL and H2.
ALTER TABLE deployment_runs ADD COLUMN target_catalog VARCHAR(128);
ALTER TABLE deployment_runs ADD COLUMN target_schema VARCHAR(128);
ALTER TABLE deployment_runs ADD COLUMN target_table VARCHAR(128);
ALTER TABLE deployment_runs ADD COLUMN target_overridden BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE deployment_runs ADD COLUMN settings VARCHAR(1000000);

-- Runs recorded before this version wrote their deployment's target (it cannot change).
UPDATE deployment_runs SET
    target_catalog = (SELECT d.target_catalog FROM deployments d
                       WHERE d.deployment_id = deployment_runs.deployment_id),
    target_schema = (SELECT d.target_schema FROM deployments d
                      WHERE d.deployment_id = deployment_runs.deployment_id),
    target_table = (SELECT d.target_table FROM deployments d
                     WHERE d.deployment_id = deployment_runs.deployment_id);

-- GET /api/runs: every page is one index range scan, in either order, however deep.
CREATE INDEX deployment_runs_all_by_created ON deployment_runs (created_at, run_id);
CREATE INDEX deployment_runs_all_by_status ON deployment_runs (status, created_at, run_id);

-- A maximum run time (seconds, optional): the reconcile loop fails what runs past it.
ALTER TABLE deployments ADD COLUMN max_run_time_seconds INTEGER;
ALTER TABLE training_jobs ADD COLUMN max_run_time_seconds INTEGER;
ALTER TABLE jobs ADD COLUMN max_run_time_seconds INTEGER;

-- When the reconcile loop ended a data-engineering job's run: a late writeback that agrees is a
-- no-op, one that disagrees is refused with the recorded outcome (as for deployment runs).
ALTER TABLE jobs ADD COLUMN reconciled_at TIMESTAMP WITH TIME ZONE;
