-- One script for both databases: {id} and {bytes} are filled in by the dialect (SqlDialect.ExpandSchema).
-- Times are integer milliseconds since the Unix epoch (UTC), so SQLite and PostgreSQL compare them alike.

CREATE TABLE verifications (
    id              TEXT    NOT NULL PRIMARY KEY,
    phone           TEXT    NOT NULL,
    region          TEXT    NOT NULL,
    purpose         TEXT    NOT NULL,
    locale          TEXT    NOT NULL,
    client_ref      TEXT    NULL,
    client_ip       TEXT    NULL,
    metadata        TEXT    NULL,
    is_test         BIGINT  NOT NULL DEFAULT 0,
    status          TEXT    NOT NULL,
    failure_reason  TEXT    NULL,
    code_key_id     TEXT    NULL,
    code_mac        {bytes} NULL,
    code_cipher     {bytes} NULL,
    expires_at      BIGINT  NOT NULL,
    attempts        BIGINT  NOT NULL DEFAULT 0,
    max_attempts    BIGINT  NOT NULL,
    send_count      BIGINT  NOT NULL DEFAULT 0,
    next_resend_at  BIGINT  NOT NULL,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    ended_at        BIGINT  NULL
);
-- One live verification per phone and purpose, enforced by the database itself.
CREATE UNIQUE INDEX ux_verifications_live ON verifications (phone, purpose) WHERE status = 'pending';
CREATE INDEX ix_verifications_pending_expiry ON verifications (expires_at) WHERE status = 'pending';
CREATE INDEX ix_verifications_created ON verifications (created_at);

CREATE TABLE sends (
    id               {id},
    verification_id  TEXT    NOT NULL REFERENCES verifications (id) ON DELETE CASCADE,
    seq              BIGINT  NOT NULL,
    reason           TEXT    NOT NULL,
    job_state        TEXT    NOT NULL,
    due_at           BIGINT  NOT NULL,
    tries            BIGINT  NOT NULL DEFAULT 0,
    locked_until     BIGINT  NULL,
    locked_by        TEXT    NULL,
    delivery_status  TEXT    NOT NULL,
    message_id       TEXT    NULL,
    provider_job_id  TEXT    NULL,
    failure_reason   TEXT    NULL,
    error_code       BIGINT  NULL,
    next_poll_at     BIGINT  NULL,
    polls            BIGINT  NOT NULL DEFAULT 0,
    created_at       BIGINT  NOT NULL,
    accepted_at      BIGINT  NULL,
    status_at        BIGINT  NULL
);
CREATE INDEX ix_sends_due ON sends (due_at) WHERE job_state IN ('queued', 'claimed');
CREATE UNIQUE INDEX ux_sends_message ON sends (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX ix_sends_poll ON sends (next_poll_at) WHERE next_poll_at IS NOT NULL;
CREATE INDEX ix_sends_verification ON sends (verification_id);

CREATE TABLE verification_events (
    id               {id},
    verification_id  TEXT    NOT NULL REFERENCES verifications (id) ON DELETE CASCADE,
    send_id          BIGINT  NULL,
    at               BIGINT  NOT NULL,
    kind             TEXT    NOT NULL,
    status           TEXT    NULL,
    detail           TEXT    NULL
);
CREATE INDEX ix_verification_events ON verification_events (verification_id, id);

CREATE TABLE delivery_receipts (
    message_id   TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    received_at  BIGINT  NOT NULL,
    occurred_at  BIGINT  NULL,
    error_text   TEXT    NULL,
    error_code   BIGINT  NULL,
    applied      BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (message_id, status)
);
CREATE INDEX ix_delivery_receipts_unapplied ON delivery_receipts (message_id) WHERE applied = 0;
CREATE INDEX ix_delivery_receipts_received ON delivery_receipts (received_at);

CREATE TABLE limit_events (
    id               {id},
    scope            TEXT    NOT NULL,
    at               BIGINT  NOT NULL,
    verification_id  TEXT    NULL
);
CREATE INDEX ix_limit_events ON limit_events (scope, at);

CREATE TABLE idempotency_keys (
    key_hash         TEXT    NOT NULL PRIMARY KEY,
    verification_id  TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL
);
