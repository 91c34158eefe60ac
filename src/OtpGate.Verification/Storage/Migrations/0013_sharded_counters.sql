-- Issue 20. The fraud guard's counters and the spend rows are hot: every start of one country adds to the same rows of
-- the current minute (or day), and on PostgreSQL a transaction holds such a row from its upsert to its commit, so the
-- starts of a country committed one at a time, each waiting for the one before to reach the disk. Each row is now
-- spread over `shard`s (SqlDialect.CounterShards: 16 on PostgreSQL, 1 on SQLite's single writer); readers sum them, and
-- the maintenance pass folds the shards of minutes and days no longer written into shard 0.
CREATE TABLE fraud_counters_sharded (
    prefix TEXT NOT NULL,
    minute BIGINT NOT NULL,
    shard INTEGER NOT NULL,
    starts BIGINT NOT NULL,
    approvals BIGINT NOT NULL,
    PRIMARY KEY (prefix, minute, shard)
);
INSERT INTO fraud_counters_sharded (prefix, minute, shard, starts, approvals)
SELECT prefix, minute, 0, starts, approvals FROM fraud_counters;
DROP TABLE fraud_counters;
ALTER TABLE fraud_counters_sharded RENAME TO fraud_counters;
CREATE INDEX ix_fraud_counters_minute ON fraud_counters (minute);

CREATE TABLE spend_sharded (
    day BIGINT NOT NULL,
    service_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    region TEXT NOT NULL,
    shard INTEGER NOT NULL,
    amount BIGINT NOT NULL,
    sends BIGINT NOT NULL,
    PRIMARY KEY (day, service_id, channel, region, shard)
);
INSERT INTO spend_sharded (day, service_id, channel, region, shard, amount, sends)
SELECT day, service_id, channel, region, 0, amount, sends FROM spend;
DROP TABLE spend;
ALTER TABLE spend_sharded RENAME TO spend;
