"""Run every benchmark (or the named ones): python -m benchmarks [name …]"""

import importlib
import pkgutil
import sys

from benchmarks.common import ensure_database


def main(names: list[str]) -> None:
    ensure_database()
    available = sorted(
        module.name
        for module in pkgutil.iter_modules(["benchmarks"])
        if module.name.startswith("bench_")
    )
    for name in names or available:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"\n== {name}")
        module.run()


if __name__ == "__main__":
    main(sys.argv[1:])
