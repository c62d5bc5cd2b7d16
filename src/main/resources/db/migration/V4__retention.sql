-- The retention job deletes by age, oldest first, in batches.
create index execution_by_age on execution (started_at);
create index audit_event_by_age on audit_event (occurred_at);
