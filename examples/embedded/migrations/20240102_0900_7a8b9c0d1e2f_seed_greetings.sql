-- revision: 7a8b9c0d1e2f
-- down_revision: 5d1e2f3a4b6c
-- branch_labels:
-- depends_on:
-- message: seed greetings
-- create_date: 2024-01-02 09:00:00 UTC

-- +upgrade
INSERT INTO greeting (id, language, text) VALUES
    (1, 'en', 'Hello'),
    (2, 'fr', 'Bonjour'),
    (3, 'de', 'Hallo');

-- +downgrade
DELETE FROM greeting WHERE id IN (1, 2, 3);
