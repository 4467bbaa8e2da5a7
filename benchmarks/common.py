"""Shared set-up for benchmarks: a Django process on the benchmark database, timing helpers.

The benchmark database is PostgreSQL by default (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/pma_bench), filled once by seed_demo with BENCH_PLATFORMS
(default 10 000) platforms and kept between runs.
"""

import os
import statistics
import time
from collections.abc import Callable

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pma_bench"
)
BENCH_PLATFORMS = int(os.environ.get("BENCH_PLATFORMS", "10000"))


def setup_django() -> None:
    os.environ["DATABASE_URL"] = BENCH_DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()


def ensure_database() -> None:
    """Create, migrate and seed the benchmark database unless it is already seeded."""
    if BENCH_DATABASE_URL.startswith("postgres"):
        import psycopg

        server, name = BENCH_DATABASE_URL.rsplit("/", 1)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
    setup_django()
    from django.core.management import call_command

    from assessment.models import Platform

    call_command("migrate", verbosity=0)
    if not Platform.objects.exists():
        started = time.perf_counter()
        call_command("seed_demo", platforms=BENCH_PLATFORMS, seed=1)
        print(f"seeded {BENCH_PLATFORMS} platforms in {time.perf_counter() - started:.1f} s")


def measure(function: Callable[[], object], *, repeat: int = 20, warmup: int = 2) -> dict:
    """Wall-clock times of `function` in milliseconds: p50, p95, min."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "min": times[0],
    }


def report(name: str, measured: dict, baseline: dict | None = None, bar_ms: float | None = None):
    line = f"{name:<48} p50 {measured['p50']:8.2f} ms  p95 {measured['p95']:8.2f} ms"
    if baseline:
        line += f"  ratio to baseline {measured['p50'] / baseline['p50']:6.1f}x"
    if bar_ms is not None:
        line += f"  bar {bar_ms:g} ms: {'OK' if measured['p50'] <= bar_ms else 'OVER'}"
    print(line)
