-- Events to the integrating application (issue 17): each written in the transaction of the state change that raises
-- it, then delivered as signed webhooks (Standard Webhooks) to every endpoint that wants it, at least once, retried.
-- `event_id` is the `webhook-id`: the same on every retry and for every endpoint. `payload` is the JSON body as sent,
-- fixed when the event is raised (it never carries a code).
CREATE TABLE events (
    id {id},
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    verification_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_events_verification ON events (verification_id, id);
CREATE INDEX ix_events_created ON events (created_at);

-- Where events go: per service (`service_id`) or for every service (NULL); `types` is ",type,type," or NULL for all.
-- The signing secret is stored encrypted (AES-GCM under the server secret, bound to the endpoint's id); during a
-- rotation the previous secret also signs until `previous_until`. `failing_since` is the first failure since the last
-- success; an endpoint failing for Events:DisableAfter, or answering 410, is `disabled` with its reason.
CREATE TABLE event_endpoints (
    id TEXT NOT NULL PRIMARY KEY,
    url TEXT NOT NULL,
    service_id TEXT,
    types TEXT,
    secret_key_id TEXT NOT NULL,
    secret_cipher {bytes} NOT NULL,
    previous_secret_key_id TEXT,
    previous_secret_cipher {bytes},
    previous_until BIGINT,
    state TEXT NOT NULL,
    disabled_reason TEXT,
    failing_since BIGINT,
    source TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- One row per event and endpoint, made in the event's transaction: a job queue like `sends` (pending, claimed with a
-- lease, delivered or failed for good). A delivery waits while an earlier one of the same verification to the same
-- endpoint is open, so each endpoint gets a verification's events in order.
CREATE TABLE event_deliveries (
    id {id},
    event_row BIGINT NOT NULL,
    endpoint_id TEXT NOT NULL,
    verification_id TEXT NOT NULL,
    state TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    tries BIGINT NOT NULL,
    locked_until BIGINT,
    locked_by TEXT,
    last_status BIGINT,
    last_error TEXT,
    done_at BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (event_row, endpoint_id)
);
CREATE INDEX ix_event_deliveries_open ON event_deliveries (endpoint_id, verification_id, id) WHERE state IN ('pending', 'claimed');
CREATE INDEX ix_event_deliveries_due ON event_deliveries (endpoint_id, due_at) WHERE state IN ('pending', 'claimed');

-- Every attempt: its answer's status code (none for a timeout or a refused connection), latency and error.
CREATE TABLE event_attempts (
    id {id},
    delivery_id BIGINT NOT NULL,
    attempted_at BIGINT NOT NULL,
    status_code BIGINT,
    latency_ms BIGINT NOT NULL,
    error TEXT
);
CREATE INDEX ix_event_attempts_delivery ON event_attempts (delivery_id, id);
