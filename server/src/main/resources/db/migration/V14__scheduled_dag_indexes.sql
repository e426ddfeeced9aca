-- The local executor reads the scheduled DAGs in pages by dag_id (LocalSchedules): one index
-- range per page however many deployments and jobs the tables hold. Portable SQL: runs on
-- PostgreSQL and H2.
CREATE INDEX deployments_by_status_dag ON deployments (status, dag_id);
CREATE INDEX jobs_by_dag ON jobs (dag_id);
