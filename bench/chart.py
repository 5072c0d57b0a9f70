"""Draw bench/results/http.json (written by bench.http_bench) as docs/bench-http.png:
requests/s and worker CPU per request for each endpoint, median bars with min-max whiskers."""

import json
import statistics

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from bench.common import ROOT  # noqa: E402

COLOURS = {"jwtauth": "#1f77b4", "simplejwt": "#ff7f0e", "open": "#7f7f7f"}


def main() -> None:
    data = json.loads((ROOT / "bench" / "results" / "http.json").read_text())
    names = list(data["rates"])
    colours = [COLOURS[name.split()[0]] for name in names]
    figure, axes = plt.subplots(1, 2, figsize=(13, 5.5))
    for axis, key, title in (
        (axes[0], "rates", "requests/s (higher is better)"),
        (axes[1], "cpu_ms", "worker CPU ms per request (lower is better)"),
    ):
        samples = [data[key][name] for name in names]
        medians = [statistics.median(s) for s in samples]
        low = [m - min(s) for m, s in zip(medians, samples, strict=True)]
        high = [max(s) - m for m, s in zip(medians, samples, strict=True)]
        axis.barh(names, medians, xerr=[low, high], color=colours, capsize=3)
        axis.invert_yaxis()
        axis.set_title(title)
        axis.grid(axis="x", alpha=0.3)
    axes[1].set_yticklabels([])
    rounds = len(next(iter(data["rates"].values())))
    figure.suptitle(
        f"gunicorn 2 workers, PostgreSQL + Redis; median of {rounds} interleaved rounds, "
        f"whiskers min-max\n{data['machine']}",
        fontsize=10,
    )
    figure.tight_layout()
    out = ROOT / "docs" / "bench-http.png"
    figure.savefig(out, dpi=90)
    print(f"chart: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
