-- The idempotency keys of creating calls (app.Keys): who used the key, the
-- operation, a digest of the request and the id of what the call created,
-- stored in the call's own transaction.

-- +goose Up
CREATE TABLE idempotency_keys (
    scope       text COLLATE "C" NOT NULL,
    key         text COLLATE "C" NOT NULL,
    operation   text NOT NULL,
    fingerprint text NOT NULL,
    result_id   text NOT NULL,
    at          timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);

-- +goose Down
DROP TABLE idempotency_keys;
