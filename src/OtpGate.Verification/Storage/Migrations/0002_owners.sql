-- Every verification belongs to whoever started it (an API key, a sign-up session): only its owner may read or act
-- on it. Rows from before this version have the owner '' and belong to nobody (they end within a code lifetime).
ALTER TABLE verifications ADD COLUMN owner TEXT NOT NULL DEFAULT '';

-- 1 while the last code sent has not been compared yet: the first comparison of each code sent is made even when the
-- phone is over its failed-check cap, so a stranger's wrong guesses never lock the number's owner out.
ALTER TABLE verifications ADD COLUMN fresh_code BIGINT NOT NULL DEFAULT 0;

-- One live verification per owner, phone and purpose: another owner's start for the same phone gets its own.
DROP INDEX ux_verifications_live;
CREATE UNIQUE INDEX ux_verifications_live ON verifications (owner, phone, purpose) WHERE status = 'pending';

-- Idempotency keys belong to the owner that sent them and are bound to the request they came with.
DROP TABLE idempotency_keys;
CREATE TABLE idempotency_keys (
    owner            TEXT    NOT NULL,
    key_hash         TEXT    NOT NULL,
    request_hash     TEXT    NOT NULL,
    verification_id  TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    PRIMARY KEY (owner, key_hash)
);
CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);
