-- The fraud guard (issue 19). Counters per number prefix and minute, upserted in the start's own transaction (and in the
-- approval's, on the start's minute), so conversion and start rates are sums over a few rows, the same on every
-- instance. `prefix` is digits: a country calling code, then that code and 1 to 4 more digits.
CREATE TABLE fraud_counters (
    prefix TEXT NOT NULL,
    minute BIGINT NOT NULL,
    starts BIGINT NOT NULL,
    approvals BIGINT NOT NULL,
    PRIMARY KEY (prefix, minute)
);
CREATE INDEX ix_fraud_counters_minute ON fraud_counters (minute);

-- The safe list and the block list: `target` is `prefix:<digits>` or `number:<digits>`; `kind` allow or block;
-- `source` operator (until removed, `until` NULL) or guard (a block for the cooling period, with its evidence: prefix,
-- sends, approvals, baseline; never a whole number).
CREATE TABLE fraud_rules (
    target TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    until BIGINT,
    evidence TEXT,
    created_at BIGINT NOT NULL
);
