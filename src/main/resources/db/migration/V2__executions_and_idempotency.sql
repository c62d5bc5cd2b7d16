-- The execution audit log: one row per attempt outcome, without third-party payloads.
create table execution (
    id               uuid         primary key,
    tenant_id        varchar(64)  not null,
    connector_id     varchar(128) not null,
    action_id        varchar(128) not null,
    credential_id    varchar(128) not null,
    status           varchar(16)  not null,
    upstream_status  integer,
    attempts         integer      not null,
    duration_ms      integer      not null,
    error_code       varchar(64),
    error_source     varchar(32),
    idempotency_key  varchar(255),
    started_at       timestamptz  not null,
    finished_at      timestamptz
);
-- Keyset pagination, newest first, with or without the filters of `executions`.
create index execution_page on execution (tenant_id, started_at desc, id desc);
create index execution_page_by_action on execution (tenant_id, connector_id, action_id, started_at desc, id desc);
create index execution_page_by_status on execution (tenant_id, status, started_at desc, id desc);

-- Idempotency keys, per tenant, kept 24 hours; response_data is kept only here, for replays.
create table idempotency_record (
    tenant_id        varchar(64)  not null,
    idempotency_key  varchar(255) not null,
    fingerprint      varchar(64)  not null,
    execution_id     uuid         not null,
    state            varchar(16)  not null,
    response_data    text,
    created_at       timestamptz  not null,
    expires_at       timestamptz  not null,
    primary key (tenant_id, idempotency_key)
);
create index idempotency_record_expiry on idempotency_record (expires_at);
