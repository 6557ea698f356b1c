"""Alembic environment of the storefront service.

The database URL comes from `alembic -x url=...`, else from the
STOREFRONT_DATABASE_URL environment variable, else from sqlalchemy.url
in the ini file (left unset in the repository).
"""
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config

if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# The revisions are written by hand with op.*; there is no model
# metadata to compare against.
target_metadata = None


def database_url():
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        url = config.get_main_option("sqlalchemy.url")
    if not url:
        url = os.environ.get("STOREFRONT_DATABASE_URL")
    if not url:
        raise RuntimeError(
            "no database URL: pass -x url=... or set STOREFRONT_DATABASE_URL"
        )
    return url


def run_migrations_offline():
    """Render the migrations as SQL (alembic upgrade --sql)."""
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run the migrations against the database."""
    section = config.get_section(config.config_ini_section, {})
    section["sqlalchemy.url"] = database_url()
    connectable = engine_from_config(
        section,
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
