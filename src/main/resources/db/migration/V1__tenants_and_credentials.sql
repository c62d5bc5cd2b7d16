-- One row per tenant (issuer + tenancy claim). alloy_user_id is set once Alloy has the user.
create table tenant_user (
    tenant_id       varchar(64)  primary key,
    issuer          varchar(512) not null,
    subject         varchar(512) not null,
    alloy_username  varchar(128) not null unique,
    alloy_user_id   varchar(64)  unique,
    full_name       varchar(256),
    created_at      timestamptz  not null,
    provisioned_at  timestamptz,
    constraint tenant_user_identity unique (issuer, subject)
);

-- Which tenant a credential belongs to: checked before any use, listing or deletion.
create table credential_ownership (
    credential_id        varchar(128) primary key,
    tenant_id            varchar(64)  not null references tenant_user (tenant_id),
    connector_id         varchar(128) not null,
    authentication_type  varchar(128),
    recorded_at          timestamptz  not null
);
create index credential_ownership_by_tenant on credential_ownership (tenant_id, connector_id);

-- Refused attempts on ids the caller does not own, in the caller's own log.
create table audit_event (
    id            uuid         primary key,
    tenant_id     varchar(64)  not null,
    kind          varchar(64)  not null,
    operation     varchar(64)  not null,
    connector_id  varchar(128),
    target_id     varchar(256),
    occurred_at   timestamptz  not null
);
create index audit_event_by_tenant on audit_event (tenant_id, occurred_at desc);
