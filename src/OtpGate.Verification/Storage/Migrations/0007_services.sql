-- Services (issue 16): each groups the settings its verifications use. `id` is the name the configuration and the API
-- use (`default` holds today's Verification settings); `sid` is the Twilio-shaped id ("VA" and 32 hex digits) the
-- Twilio-compatible surface will show. `settings` is JSON, so a new setting needs no migration. `version` grows with
-- every change: each instance keeps a service's parsed settings while the version it reads in the operation's own
-- transaction is the one it parsed, so a change committed on one instance is used by the next operation anywhere.
CREATE TABLE services (
    id TEXT NOT NULL PRIMARY KEY,
    sid TEXT NOT NULL UNIQUE,
    friendly_name TEXT NOT NULL,
    settings TEXT NOT NULL,
    source TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Every verification belongs to a service; those from before all used the settings that became the default service.
ALTER TABLE verifications ADD COLUMN service_id TEXT NOT NULL DEFAULT 'default';

-- One live verification per owner, phone and purpose within a service: owners are named within their service.
DROP INDEX ux_verifications_live;
CREATE UNIQUE INDEX ux_verifications_live ON verifications (service_id, owner, phone, purpose) WHERE status = 'pending';
