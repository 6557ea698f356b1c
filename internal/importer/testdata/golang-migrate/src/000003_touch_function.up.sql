CREATE FUNCTION touch() RETURNS trigger AS $body$
BEGIN
    NEW.email = lower(NEW.email);
    RETURN NEW;
END;
$body$ LANGUAGE plpgsql;
