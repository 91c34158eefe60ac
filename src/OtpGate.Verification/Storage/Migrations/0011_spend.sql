-- Money spent on messages, for the spend caps (docs/architecture.md, "Spend"): one row per UTC day, service, channel
-- and region, its amount in millionths of the deployment's currency and its number of sends, raised in the transaction
-- that queues each send. A cap's period is a sum of rows (a day, or a month's days), so every instance sees one total.
CREATE TABLE spend (
    day BIGINT NOT NULL,
    service_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    region TEXT NOT NULL,
    amount BIGINT NOT NULL,
    sends BIGINT NOT NULL,
    PRIMARY KEY (day, service_id, channel, region)
);
