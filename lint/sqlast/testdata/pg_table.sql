CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    legacy_id serial,
    email varchar(255) NOT NULL UNIQUE,
    name text NULL,
    bio text,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamptz DEFAULT CURRENT_TIMESTAMP,
    token uuid DEFAULT gen_random_uuid(),
    score numeric(10, 2) DEFAULT 0 CHECK (score >= 0),
    tags text[] DEFAULT '{}'::text[],
    data jsonb DEFAULT '{}'::jsonb NOT NULL,
    kind mood DEFAULT 'ok'::mood,
    org_id bigint REFERENCES orgs (id) ON DELETE CASCADE,
    full_name text GENERATED ALWAYS AS (first || ' ' || last) STORED,
    "Quoted Col" double precision,
    t timestamp(3) without time zone,
    n int DEFAULT nextval('seq'::regclass),
    r float8 DEFAULT random(),
    h text DEFAULT my_func(),
    c char(2),
    CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES public.orgs (id) ON DELETE SET NULL ON UPDATE NO ACTION,
    UNIQUE (email, org_id),
    CHECK (score < 100),
    EXCLUDE USING gist (during WITH &&)
);
CREATE TABLE IF NOT EXISTS app.events (id int) PARTITION BY RANGE (created_at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v text) WITH (fillfactor = 70, autovacuum_enabled = false);
CREATE TEMP TABLE tmp AS SELECT 1;
CREATE TABLE copy (LIKE users INCLUDING ALL);
CREATE TABLE empty ();
CREATE TABLE bad (a int DEFAULT);
CREATE TABLE bad2 (a int CHECK a > 0);
CREATE TABLE bad3 (a int,);
CREATE TABLE tz (at timestamptz DEFAULT timezone('utc', now()), d date DEFAULT date_trunc('day', now()), x int DEFAULT floor(random() * 10));
CREATE TABLE q (a public.mood, b "S"."T"[], c double precision);
