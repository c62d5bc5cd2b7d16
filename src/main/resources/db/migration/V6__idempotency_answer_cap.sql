-- An answer larger than GATEWAY_EXECUTION_MAX_STORED_ANSWER_BYTES is not kept for replays: the key remembers
-- that its execution succeeded and that its payload was left out.
alter table idempotency_record add column response_omitted boolean not null default false;
