-- revision: 445f72e7de20
-- down_revision: 6c2fc1e1eb29
-- branch_labels:
-- depends_on:
-- message: Seed users
-- create_date:
-- imported from flyway: V1_1__Seed_users.sql (version 1_1)

-- +upgrade
INSERT INTO users (id, email) VALUES (1, 'admin@example.com');
