-- The carriers' edits of their Kitas (public profile, closure, free places),
-- one record per Kita, so that a restarted or second instance sees them.

-- +goose Up
CREATE TABLE kita_edits (
    kita_id text COLLATE "C" PRIMARY KEY,
    version bigint NOT NULL,
    doc     jsonb NOT NULL
);

-- +goose Down
DROP TABLE kita_edits;
