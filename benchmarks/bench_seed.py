"""Demo seeding at benchmark size: manage.py seed_demo --platforms 10 000 into a fresh SQLite
database and a fresh PostgreSQL one (the benchmark database itself is left alone).

Bar: under 60 s each, as the command reports it. Baseline, measured in the same run on the same
database: the database copying every row seed_demo wrote into empty tables with the same
indexes (INSERT … SELECT), the floor for writing those rows at all. The ratio is what generating
and scoring the data costs on top. The default --workers (one per core) is used.
"""

import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

BAR_S = 60
PLATFORMS = int(os.environ.get("BENCH_PLATFORMS", "10000"))
ROOT = Path(__file__).resolve().parent.parent


def _seed(database_url: str) -> float:
    """Seconds seed_demo reports for filling a freshly migrated database."""
    environment = {**os.environ, "DATABASE_URL": database_url}

    def manage(*arguments: str) -> str:
        return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    manage("migrate", "-v0")
    manage("load_rubric", "questionnaires/rubrics/iip-2026@1.0.yaml")
    output = manage("seed_demo", "--platforms", str(PLATFORMS))
    return float(re.search(r"created in ([\d.]+) s", output).group(1))


def _tables() -> list[str]:
    from django.apps import apps

    return [
        model._meta.db_table
        for model in apps.get_app_config("assessment").get_models()
        if model._meta.db_table not in ("assessment_region", "assessment_industry")
    ]


def _copy_postgres(url: str, tables: list[str]) -> float:
    import psycopg

    with psycopg.connect(url) as connection:
        started = time.perf_counter()
        for table in tables:
            connection.execute(f'CREATE TEMP TABLE "copy_{table}" (LIKE "{table}" INCLUDING ALL)')
            connection.execute(f'INSERT INTO "copy_{table}" SELECT * FROM "{table}"')  # noqa: S608
        connection.commit()
        return time.perf_counter() - started


def _copy_sqlite(path: Path, tables: list[str]) -> float:
    connection = sqlite3.connect(path)
    schema = connection.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL"
    ).fetchall()
    started = time.perf_counter()
    for table in tables:
        for kind, _name, owner, sql in schema:
            if owner == table and kind == "table":
                connection.execute(sql.replace(f'"{table}"', f'"copy_{table}"', 1))
        connection.execute(f'INSERT INTO "copy_{table}" SELECT * FROM "{table}"')  # noqa: S608
        for kind, name, owner, sql in schema:
            if owner == table and kind == "index":
                connection.execute(
                    sql.replace(f'"{name}"', f'"copy_{name}"', 1).replace(
                        f'"{table}"', f'"copy_{table}"', 1
                    )
                )
    connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def _line(name: str, seconds: float, baseline: float) -> None:
    verdict = "OK" if seconds <= BAR_S else "OVER"
    print(
        f"{name:<44} {seconds:6.1f} s  baseline (copy its rows) {baseline:5.1f} s  "
        f"ratio {seconds / baseline:5.1f}x  bar {BAR_S} s: {verdict}"
    )


def run() -> None:
    import psycopg

    from benchmarks.common import BENCH_DATABASE_URL

    print(
        f"seed_demo --platforms {PLATFORMS}; load average "
        + " ".join(f"{load:.1f}" for load in os.getloadavg())
    )
    tables = _tables()

    path = ROOT / "var" / "bench-seed.sqlite3"
    path.unlink(missing_ok=True)
    seconds = _seed(f"sqlite:///{path}")
    _line("SQLite (embedded demo database)", seconds, _copy_sqlite(path, tables))
    path.unlink()

    server = BENCH_DATABASE_URL.rsplit("/", 1)[0]
    name = "pma_bench_seed"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        seconds = _seed(f"{server}/{name}")
        _line("PostgreSQL", seconds, _copy_postgres(f"{server}/{name}", tables))
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
