-- The allocation rounds' dry runs (drafts): the engine's instance and
-- result with ids only, kept until published or superseded. The columns
-- beside the document are what the queries need: the round, the dry run's
-- number, and every application id the draft holds, so that erasing a
-- family finds its drafts. The publication is a small document of its own
-- (NULL until published), so that publishing does not rewrite the draft.

-- +goose Up
CREATE TABLE round_drafts (
    id              text COLLATE "C" PRIMARY KEY,
    year            text COLLATE "C" NOT NULL,
    round           integer NOT NULL,
    number          integer NOT NULL,
    application_ids text[] COLLATE "C" NOT NULL,
    doc             jsonb NOT NULL,
    publication     jsonb
);
CREATE UNIQUE INDEX round_drafts_number ON round_drafts (year, round, number);
CREATE INDEX round_drafts_application_ids ON round_drafts USING gin (application_ids);

-- +goose Down
DROP TABLE round_drafts;
