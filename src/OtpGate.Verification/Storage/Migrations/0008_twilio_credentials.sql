-- Credentials for the Twilio Verify-compatible surface (/v2), shaped like Twilio's and issued by OtpGate: accounts
-- (`sid` "AC" and 32 hex digits, with an auth token) and their API keys (`sid` "SK" and 32 hex digits, with a secret;
-- `account_sid` names the owning account, an account's own row names itself). `service_id` is the one service the
-- credential acts in, NULL for an admin account (and its keys) that may act in any. Only the SHA-256 of the token or
-- secret is kept. Revoking deletes the row (an account's keys with it), so every instance refuses it from its next request.
CREATE TABLE twilio_credentials (
    sid TEXT NOT NULL PRIMARY KEY,
    account_sid TEXT NOT NULL,
    service_id TEXT NULL,
    friendly_name TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_twilio_credentials_account ON twilio_credentials (account_sid);
