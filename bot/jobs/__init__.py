"""The durable job queue: every Discord side effect that follows a state change is a job, stored in the same
transaction as the change and run (and retried) by one runner. No discord here; the runner is
bot/jobs_runner.py."""
