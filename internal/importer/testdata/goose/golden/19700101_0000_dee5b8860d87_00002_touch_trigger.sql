-- revision: dee5b8860d87
-- down_revision: f052acc8163c
-- branch_labels:
-- depends_on:
-- message: touch trigger
-- create_date:
-- imported from goose: 00002_touch_trigger.sql (version 00002)

-- +upgrade
CREATE FUNCTION touch() RETURNS trigger AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();

-- +downgrade
DROP TRIGGER users_touch ON users;
DROP FUNCTION touch();
