"""Alembic's op.bulk_insert on the workload of retort's BulkInsert
benchmarks: N rows of (bigint, text, timestamp, numeric) into SQLite,
online in one transaction, and rendered offline (as_sql). Prints rows/s.

    /usr/bin/python3 bench/bulk/alembic_bulk.py [N]   (Debian's python3-alembic)
"""
import datetime
import decimal
import io
import os
import sys
import tempfile
import time

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
meta = sa.MetaData()
table = sa.Table(
    "bulk", meta,
    sa.Column("id", sa.BigInteger),
    sa.Column("name", sa.Text),
    sa.Column("at", sa.DateTime),
    sa.Column("amount", sa.Numeric(12, 2)),
)
t0 = datetime.datetime(2026, 1, 1)
rows = [{"id": i, "name": "name %d" % i, "at": t0 + datetime.timedelta(seconds=i),
         "amount": decimal.Decimal(i) / 100} for i in range(n)]

with tempfile.TemporaryDirectory() as d:
    engine = sa.create_engine("sqlite:///" + os.path.join(d, "b.db"))
    with engine.begin() as conn:
        meta.create_all(conn)
        op = Operations(MigrationContext.configure(conn))
        start = time.perf_counter()
        op.bulk_insert(table, rows)
        online = time.perf_counter() - start

buf = io.StringIO()
ctx = MigrationContext.configure(dialect_name="sqlite", opts={"as_sql": True, "output_buffer": buf})
start = time.perf_counter()
Operations(ctx).bulk_insert(table, rows)
offline = time.perf_counter() - start
print("alembic %s rows: online sqlite %.0f rows/s, offline %.0f rows/s" % (n, n / online, n / offline))
