-- The sign-up app's accounts, one per phone, and the approved verifications that signed in (each once). Servers before
-- this version created both tables themselves at start-up with exactly these columns: IF NOT EXISTS leaves theirs be.
-- BIGINT: epoch milliseconds overflow PostgreSQL's 32-bit INTEGER (SQLite reads BIGINT as INTEGER).
CREATE TABLE IF NOT EXISTS accounts (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT NOT NULL UNIQUE,
    verified_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS signup_sign_ins (
    verification_id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL,
    signed_in_at BIGINT NOT NULL
);
