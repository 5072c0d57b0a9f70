"""Timing helpers shared by the benchmarks: min / median / max of repeated runs."""

import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(settings_module: str = "bench.settings") -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


def per_call(fn: Callable[[], object], *, number: int, repeat: int) -> list[float]:
    """Seconds per call of ``fn``, one figure per repeat of ``number`` calls."""
    results = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        results.append((time.perf_counter() - start) / number)
    return results


def per_item(
    fn: Callable[[object], object], items: Sequence[object], *, repeat: int
) -> list[float]:
    """Seconds per call of ``fn(item)``, each item used once per repeat."""
    results = []
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            fn(item)
        results.append((time.perf_counter() - start) / len(items))
    return results


def summary(samples: Sequence[float]) -> tuple[float, float, float]:
    return min(samples), statistics.median(samples), max(samples)


def fmt_us(samples: Sequence[float]) -> str:
    low, mid, high = summary(samples)
    return f"{low * 1e6:8.1f} / {mid * 1e6:8.1f} / {high * 1e6:8.1f} µs"


def machine() -> str:
    import platform

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"
