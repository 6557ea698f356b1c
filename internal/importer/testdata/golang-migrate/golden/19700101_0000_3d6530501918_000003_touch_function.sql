-- revision: 3d6530501918
-- down_revision: 6eb2d049a21c
-- branch_labels:
-- depends_on:
-- message: touch function
-- create_date:
-- imported from golang-migrate: 000003_touch_function.up.sql (version 000003)

-- +upgrade
CREATE FUNCTION touch() RETURNS trigger AS $body$
BEGIN
    NEW.email = lower(NEW.email);
    RETURN NEW;
END;
$body$ LANGUAGE plpgsql;
