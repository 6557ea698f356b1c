-- migrate:up transaction:false
CREATE UNIQUE INDEX users_email ON users (email);

-- migrate:down transaction:false
DROP INDEX users_email;
