-- A verification that failed on a delivery failure keeps its code material until its expiry, because another of the
-- user's devices may still get the code and bring it back to pending; the sweep then erases it through this index.
CREATE INDEX ix_verifications_kept_codes ON verifications (expires_at) WHERE status = 'failed' AND code_mac IS NOT NULL;
