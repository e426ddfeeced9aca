-- Indexes of list pages that had none matching their filter and order, so that a page is one
-- index range however many rows the table holds (docs/benchmarks.md, "List pages"). Portable SQL:
-- runs on PostgreSQL and H2.

-- GET /api/events?types=…: one range per type, merged by seq (PlatformEventDao.feedOfTypes).
CREATE INDEX platform_events_by_type ON platform_events (event_type, seq);

-- GET /api/jobs?status=… / ?job_type=…, newest first (the `after` cursor or an offset).
CREATE INDEX jobs_by_status ON jobs (status, created_at DESC, job_id DESC);
CREATE INDEX jobs_by_type ON jobs (job_type, created_at DESC, job_id DESC);
