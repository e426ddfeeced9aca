-- The query (group) column of a ranking job (issue 12). Portable SQL: PostgreSQL and H2.
ALTER TABLE training_jobs ADD COLUMN group_column VARCHAR(128);
