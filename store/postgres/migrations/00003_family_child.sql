-- One active application per child, family and Kita year: the duplicate
-- rule stays within a family; a match across families is reviewed by the
-- Jugendamt, never refused by the database.

-- +goose Up
DROP INDEX applications_active_child;
CREATE UNIQUE INDEX applications_active_child ON applications (family_id, child_key, year)
    WHERE status NOT IN ('withdrawn', 'expired') AND child_key <> '';

-- +goose Down
DROP INDEX applications_active_child;
CREATE UNIQUE INDEX applications_active_child ON applications (child_key, year)
    WHERE status NOT IN ('withdrawn', 'expired') AND child_key <> '';
