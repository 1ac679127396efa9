-- The place ledger by pool: a Kita whose places are split by weekly care
-- hours and the month from which they are free (kita.Pool) keeps one row
-- per pool; hours 0 and from_month '' are a band's places without pools.

-- +goose Up
ALTER TABLE places ADD COLUMN hours integer NOT NULL DEFAULT 0;
ALTER TABLE places ADD COLUMN from_month text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE places DROP CONSTRAINT places_pkey;
ALTER TABLE places ADD PRIMARY KEY (kita_id, year, band, hours, from_month);
DROP INDEX places_year;
CREATE INDEX places_year ON places (year, kita_id, band, hours, from_month);

-- +goose Down
DELETE FROM places WHERE hours <> 0 OR from_month <> '';
DROP INDEX places_year;
CREATE INDEX places_year ON places (year, kita_id, band);
ALTER TABLE places DROP CONSTRAINT places_pkey;
ALTER TABLE places ADD PRIMARY KEY (kita_id, year, band);
ALTER TABLE places DROP COLUMN from_month;
ALTER TABLE places DROP COLUMN hours;
