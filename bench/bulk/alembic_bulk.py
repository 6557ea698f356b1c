"""Alembic's op.bulk_insert on the workload of retort's BulkInsert
benchmarks: N rows of (bigint, text, timestamp, numeric), online in one
transaction, on each dialect named (sqlite, postgresql, mysql), and
rendered offline (as_sql, SQLite). Prints rows/s and the CPU time
(user+sys) of this process during the insert, per row.

    /usr/bin/python3 bench/bulk/alembic_bulk.py [--online-only] [N] [DIALECT...]
        (Debian's python3-alembic, python3-psycopg2, python3-pymysql)

PostgreSQL and MariaDB are reached at RETORT_BENCH_POSTGRES_URL and
RETORT_BENCH_MYSQL_URL (SQLAlchemy URLs of a server; defaults: the test
servers on 127.0.0.1 as postgres and root), where the script makes a
database of its own and drops it.
"""
import datetime
import decimal
import io
import os
import sys
import tempfile
import time
import uuid

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

args = sys.argv[1:]
# --online-only: no offline rendering (bench/run's bulk workloads time the
# online insert only).
online_only = "--online-only" in args
args = [a for a in args if a != "--online-only"]
n = int(args[0]) if args else 100000
dialects = args[1:] or ["sqlite"]
servers = {
    "postgresql": os.environ.get("RETORT_BENCH_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"),
    "mysql": os.environ.get("RETORT_BENCH_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/mysql"),
}

meta = sa.MetaData()
table = sa.Table(
    "bulk", meta,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String(64)),
    sa.Column("at", sa.DateTime),
    sa.Column("amount", sa.Numeric(12, 2)),
)
t0 = datetime.datetime(2024, 1, 1)
# The rows of dialecttest.BenchValues.
rows = [{"id": i + 1, "name": "name %d" % i, "at": t0 + datetime.timedelta(seconds=i),
         "amount": decimal.Decimal("%d.%d" % (i % 100000, 10 + i % 90))} for i in range(n)]


def cpu():
    t = os.times()
    return t.user + t.system


def insert(engine):
    with engine.begin() as conn:
        meta.create_all(conn)
        op = Operations(MigrationContext.configure(conn))
        c, start = cpu(), time.perf_counter()
        op.bulk_insert(table, rows)
        wall, used = time.perf_counter() - start, cpu() - c
        got = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
        if got != n:
            raise SystemExit("alembic_bulk: %d rows in the table after op.bulk_insert, want %d" % (got, n))
        return wall, used


def online(dialect):
    if dialect == "sqlite":
        with tempfile.TemporaryDirectory() as d:
            engine = sa.create_engine("sqlite:///" + os.path.join(d, "b.db"))
            try:
                return insert(engine)
            finally:
                engine.dispose()
    url = sa.engine.make_url(servers[dialect])
    name = "retort_bench_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("CREATE DATABASE " + name))
    try:
        engine = sa.create_engine(url.set(database=name))
        try:
            return insert(engine)
        finally:
            engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text("DROP DATABASE " + name))
        admin.dispose()


for dialect in dialects:
    wall, used = online(dialect)
    print("alembic %s rows: online %s %.0f rows/s, %.0f ns/row, cpu %.0f ns/row"
          % (n, dialect, n / wall, wall * 1e9 / n, used * 1e9 / n))

if online_only:
    sys.exit(0)
buf = io.StringIO()
ctx = MigrationContext.configure(dialect_name="sqlite", opts={"as_sql": True, "output_buffer": buf})
start = time.perf_counter()
Operations(ctx).bulk_insert(table, rows)
offline = time.perf_counter() - start
print("alembic %s rows: offline sqlite %.0f rows/s" % (n, n / offline))
