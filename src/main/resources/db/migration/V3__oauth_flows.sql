-- An OAuth consent in progress: who started it, for which connector, where the app wants the browser back,
-- and which credentials the tenant already had (the new one is the one not among them).
create table oauth_flow (
    id                     varchar(64)   primary key,
    tenant_id              varchar(64)   not null references tenant_user (tenant_id),
    connector_id           varchar(128)  not null,
    authentication_type    varchar(128)  not null,
    redirect_uri           varchar(2048) not null,
    known_credential_ids   text          not null,
    status                 varchar(16)   not null,
    credential_id          varchar(128),
    credential_name        varchar(512),
    credential_type        varchar(256),
    credential_created_at  varchar(64),
    credential_updated_at  varchar(64),
    started_at             timestamptz   not null,
    finished_at            timestamptz,
    expires_at             timestamptz   not null
);
create index oauth_flow_by_expiry on oauth_flow (expires_at);

-- Earlier releases recorded credentials of an unrecognised type under the connector 'unknown'. Forget those
-- rows: the owner's next listing records them again, under the connector Alloy names.
delete from credential_ownership where connector_id = 'unknown';
