CREATE FUNCTION add_one(x int) RETURNS int AS $$
BEGIN
  RETURN x + 1; -- ; inside the body
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION outer_fn() RETURNS void AS $outer$
BEGIN
  EXECUTE $inner$ SELECT '; $$ not the end'; $inner$;
  PERFORM $$;$$;
END;
$outer$ LANGUAGE plpgsql;

DO $do$ BEGIN RAISE NOTICE 'x;'; END $do$;

PREPARE q(int, text) AS SELECT $1, $2::text WHERE a$b = $1;
SELECT $_tag1$ $Tag1$; $_tag1$, 1$$;$$ AS d;
SELECT $é$ unicode; tag $é$
