-- Initial schema of the kitaportal PostgreSQL adapter.
--
-- Documents (applications, referrals, minders, groups) are stored as the
-- JSON of their domain type in "doc"; the columns beside it are copies of
-- the fields that queries, uniqueness rules and version checks need. Ids
-- use the "C" collation so that the database sorts them like Go does.

-- +goose Up
CREATE TABLE applications (
    id              text COLLATE "C" PRIMARY KEY,
    family_id       text COLLATE "C" NOT NULL,
    year            text COLLATE "C" NOT NULL,
    child_key       text COLLATE "C" NOT NULL,
    idempotency_key text COLLATE "C" NOT NULL,
    status          text NOT NULL,
    submitted_at    timestamptz NOT NULL,
    kita_ids        text[] COLLATE "C" NOT NULL,
    version         bigint NOT NULL,
    doc             jsonb NOT NULL
);
-- Documents are about 2 KB, at the edge of TOAST compression; lz4 is the
-- cheaper compressor on every write.
ALTER TABLE applications ALTER COLUMN doc SET COMPRESSION lz4;
CREATE INDEX applications_family ON applications (family_id);
CREATE INDEX applications_year_order ON applications (year, submitted_at, id);
CREATE INDEX applications_kita_ids ON applications USING gin (kita_ids);
CREATE INDEX applications_child ON applications (child_key, year);
-- A family uses each idempotency key once.
CREATE UNIQUE INDEX applications_idempotency ON applications (family_id, idempotency_key)
    WHERE idempotency_key <> '';
-- One active application per child and Kita year.
CREATE UNIQUE INDEX applications_active_child ON applications (child_key, year)
    WHERE status NOT IN ('withdrawn', 'expired') AND child_key <> '';

CREATE TABLE counters (
    name  text COLLATE "C" PRIMARY KEY,
    value bigint NOT NULL
);

CREATE TABLE places (
    kita_id  text COLLATE "C" NOT NULL,
    year     text COLLATE "C" NOT NULL,
    band     integer NOT NULL,
    capacity integer NOT NULL,
    taken    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (kita_id, year, band),
    CHECK (taken >= 0)
);
CREATE INDEX places_year ON places (year, kita_id, band);

-- The audit trail is append-only: the adapter never updates or deletes it.
CREATE TABLE audit (
    seq            bigserial PRIMARY KEY,
    at             timestamptz NOT NULL,
    actor          text COLLATE "C" NOT NULL,
    action         text NOT NULL,
    application_id text COLLATE "C" NOT NULL,
    family_id      text COLLATE "C" NOT NULL,
    reason         text NOT NULL
);
CREATE INDEX audit_application ON audit (application_id) WHERE application_id <> '';
CREATE INDEX audit_family ON audit (family_id) WHERE family_id <> '';
CREATE INDEX audit_order ON audit (at, seq);

-- The outbox of e-mail messages. A zero instant of the domain type is stored
-- as 0001-01-01 00:00 UTC, so that every column is NOT NULL.
CREATE TABLE messages (
    id            text COLLATE "C" PRIMARY KEY,
    kind          text NOT NULL,
    subject_id    text COLLATE "C" NOT NULL,
    family_id     text COLLATE "C" NOT NULL,
    to_addr       text NOT NULL,
    to_name       text NOT NULL,
    lang          text NOT NULL,
    title         text NOT NULL,
    body          text NOT NULL,
    status        text NOT NULL,
    attempts      integer NOT NULL,
    created_at    timestamptz NOT NULL,
    next_attempt  timestamptz NOT NULL,
    claimed_until timestamptz NOT NULL,
    claim_token   text COLLATE "C" NOT NULL,
    sent_at       timestamptz NOT NULL,
    last_error    text NOT NULL
);
CREATE INDEX messages_due ON messages (created_at, id) WHERE status = 'pending';
CREATE INDEX messages_subject ON messages (subject_id, created_at, id);
CREATE INDEX messages_family ON messages (family_id, created_at, id) WHERE family_id <> '';

CREATE TABLE referrals (
    id         text COLLATE "C" PRIMARY KEY,
    district   text COLLATE "C" NOT NULL,
    created_at timestamptz NOT NULL,
    version    bigint NOT NULL,
    doc        jsonb NOT NULL
);
CREATE INDEX referrals_district ON referrals (district, created_at, id);
CREATE INDEX referrals_order ON referrals (created_at, id);

CREATE TABLE minders (
    id       text COLLATE "C" PRIMARY KEY,
    district text COLLATE "C" NOT NULL,
    version  bigint NOT NULL,
    doc      jsonb NOT NULL
);
CREATE INDEX minders_district ON minders (district, id);

CREATE TABLE tp_groups (
    id      text COLLATE "C" PRIMARY KEY,
    version bigint NOT NULL,
    doc     jsonb NOT NULL
);

-- +goose Down
DROP TABLE tp_groups;
DROP TABLE minders;
DROP TABLE referrals;
DROP TABLE messages;
DROP TABLE audit;
DROP TABLE places;
DROP TABLE counters;
DROP TABLE applications;
