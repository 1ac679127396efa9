-- The documents of applications and of the rounds' dry runs are stored as
-- json (their text, checked on the way in) instead of jsonb: no query looks
-- inside them, and jsonb costs a conversion on every write and every read
-- (on a default server, about half the database's time of reading or
-- writing an application, and of a Bochum round's publication). A draft of
-- some MB is compressed with lz4, the cheaper compressor, as applications
-- already are. The table holding the places ledger is not touched.

-- +goose Up
ALTER TABLE applications ALTER COLUMN doc TYPE json USING doc::json;
ALTER TABLE applications ALTER COLUMN doc SET COMPRESSION lz4;
ALTER TABLE round_drafts ALTER COLUMN doc TYPE json USING doc::json;
ALTER TABLE round_drafts ALTER COLUMN doc SET COMPRESSION lz4;

-- +goose Down
ALTER TABLE round_drafts ALTER COLUMN doc TYPE jsonb USING doc::jsonb;
ALTER TABLE round_drafts ALTER COLUMN doc SET COMPRESSION default;
ALTER TABLE applications ALTER COLUMN doc TYPE jsonb USING doc::jsonb;
ALTER TABLE applications ALTER COLUMN doc SET COMPRESSION lz4;
