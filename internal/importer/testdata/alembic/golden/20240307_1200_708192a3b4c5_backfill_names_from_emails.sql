-- revision: 708192a3b4c5
-- down_revision: 6f708192a3b4
-- branch_labels:
-- depends_on:
-- message: backfill names from emails
-- create_date: 2024-03-07 12:00:00 UTC
-- imported from alembic: versions/708192a3b4c5_backfill_names.py (revision 708192a3b4c5)

-- +upgrade sqlite
-- Alembic could not render this upgrade offline (AttributeError: 'NoneType' object has no attribute 'fetchall').
-- Write its SQL by hand; the Python source:
-- def upgrade():
--     conn = op.get_bind()
--     rows = conn.execute(sa.text("SELECT id, email FROM users")).fetchall()
--     for id_, email in rows:
--         conn.execute(sa.text("UPDATE users SET name = :n WHERE id = :i"), {"n": email.split("@")[0], "i": id_})

-- +downgrade sqlite
UPDATE users SET name = NULL;

-- +upgrade postgresql
-- Alembic could not render this upgrade offline (AttributeError: 'NoneType' object has no attribute 'fetchall').
-- Write its SQL by hand; the Python source:
-- def upgrade():
--     conn = op.get_bind()
--     rows = conn.execute(sa.text("SELECT id, email FROM users")).fetchall()
--     for id_, email in rows:
--         conn.execute(sa.text("UPDATE users SET name = :n WHERE id = :i"), {"n": email.split("@")[0], "i": id_})

-- +downgrade postgresql
UPDATE users SET name = NULL;
