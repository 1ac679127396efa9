-- The documents of applications and of the rounds' dry runs are stored as
-- json (their text, checked on the way in) instead of jsonb: no query looks
-- inside them, and jsonb costs a conversion on every write and every read
-- (4,000 application documents, measured on a busy 2-core machine: read
-- 220-265 ms as jsonb, 60-72 ms as json; written 310-325 ms against
-- 86-209 ms). A draft of
-- some MB is compressed with lz4, the cheaper compressor, as applications
-- already are. A family's applications of a Kita year (read by every
-- submission) are found by one index on (family_id, year): with the index
-- on family_id alone, a table without statistics yet (a new database, a new
-- year) was read through a bitmap of the whole year's index, a cost growing
-- with every application. The table holding the places ledger is not
-- touched.

-- +goose Up
ALTER TABLE applications ALTER COLUMN doc TYPE json USING doc::json;
ALTER TABLE applications ALTER COLUMN doc SET COMPRESSION lz4;
ALTER TABLE round_drafts ALTER COLUMN doc TYPE json USING doc::json;
ALTER TABLE round_drafts ALTER COLUMN doc SET COMPRESSION lz4;
DROP INDEX applications_family;
CREATE INDEX applications_family ON applications (family_id, year);

-- +goose Down
DROP INDEX applications_family;
CREATE INDEX applications_family ON applications (family_id);
ALTER TABLE round_drafts ALTER COLUMN doc TYPE jsonb USING doc::jsonb;
ALTER TABLE round_drafts ALTER COLUMN doc SET COMPRESSION default;
ALTER TABLE applications ALTER COLUMN doc TYPE jsonb USING doc::jsonb;
ALTER TABLE applications ALTER COLUMN doc SET COMPRESSION lz4;
