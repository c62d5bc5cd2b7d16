-- createUser claims a tenant's provisioning in a short transaction and calls Alloy outside any transaction;
-- the claim keeps concurrent calls from provisioning twice, and goes stale if its holder died.
alter table tenant_user add column provisioning_claimed_at timestamptz;
