-- Every submission reads the family's applications of its Kita year and
-- the child's applications of the year (the review of a match across
-- families), both in the order (submitted_at, id). While the table has no
-- statistics (a new database, its first minute or so until autovacuum
-- analyzes it), the planner could not tell the index on (family_id,
-- year) from applications_year_order, which already returns the year in
-- that order without a sort, and chose the latter, filtering the whole
-- year row by row; the plan stayed cached for the connection's life: each
-- submission read every application of the year twice (measured with 16
-- clients: about 1 ms per read at 8,000 applications, growing with the
-- year, against 0.02 ms through the right index). The two indexes now end
-- in (submitted_at, id), so they return their rows in order as well and
-- match two columns of the query where applications_year_order matches
-- one. Created after applications_year_order, they are the planner's
-- choice even when it cannot tell the costs apart
-- (TestSubmissionReadsUseTheirIndexes pins that). The update's check for
-- another active application of the child finds it through the child's
-- index. The table keeps seven indexes.

-- +goose Up
DROP INDEX applications_family;
CREATE INDEX applications_family ON applications (family_id, year, submitted_at, id);
DROP INDEX applications_child;
CREATE INDEX applications_child ON applications (child_key, year, submitted_at, id);

-- +goose Down
DROP INDEX applications_child;
CREATE INDEX applications_child ON applications (child_key, year);
DROP INDEX applications_family;
CREATE INDEX applications_family ON applications (family_id, year);
