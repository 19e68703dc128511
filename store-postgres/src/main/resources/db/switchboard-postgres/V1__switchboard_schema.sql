-- Switchboard's tables. Paths and ids use the "C" collation: strings compare by code point
-- (the reference order), and the btree on path then serves prefix ranges and LIKE 'prefix%'.

CREATE TABLE documents (
    path        text COLLATE "C" PRIMARY KEY,
    -- the JSON text exactly as written (key order kept); what reads return
    body        text   NOT NULL,
    -- the same value as jsonb, for criteria, sorting and the GIN index
    data        jsonb  NOT NULL,
    created     bigint NOT NULL,
    modified    bigint NOT NULL,
    version     bigint NOT NULL,
    modified_by text
);
CREATE INDEX documents_data ON documents USING gin (data jsonb_path_ops);

CREATE TABLE events (
    event_offset bigint PRIMARY KEY,
    id           text COLLATE "C",
    type         text   NOT NULL,
    path         text COLLATE "C" NOT NULL,
    data         text,
    patch        text,
    meta         text,
    ts           bigint NOT NULL,
    by_user      text,
    targets      text
);
CREATE INDEX events_ts ON events (ts);
CREATE INDEX events_id ON events (id);

CREATE TABLE scheduled (
    id      text COLLATE "C" PRIMARY KEY,
    path    text   NOT NULL,
    data    text,
    meta    text,
    by_user text,
    at      bigint NOT NULL,
    created bigint NOT NULL
);
CREATE INDEX scheduled_at ON scheduled (at, id);

CREATE TABLE meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);
-- minted once, with the log; every node reads the same epoch
INSERT INTO meta (key, value) VALUES ('epoch', gen_random_uuid()::text);

-- The log head: the highest offset ever assigned. Every group commit locks this one row first
-- and raises it before committing, so commits serialize on it and offsets follow commit order
-- across all nodes (docs/clustering.md, "Offsets"). Pruning never lowers it.
CREATE TABLE log_head (
    one  boolean PRIMARY KEY DEFAULT TRUE CHECK (one),
    last bigint  NOT NULL
);
INSERT INTO log_head (one, last) VALUES (TRUE, 0);
