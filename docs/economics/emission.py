#!/usr/bin/env python3
"""Reference emission schedule of the DePIN chain, computed independently of the runtime.

    python3 docs/economics/emission.py

writes, next to this script:

- emission_reference.csv: for the production parameters, year by year, the emission of each
  epoch of that year, the year's emission, and the supply at the end of the year (genesis
  supply plus everything emitted, cut at the cap). The runtime's tests
  (pallets/rewards/src/tests/schedule.rs) compare the pallet's schedule with it, to the planck.
- emission.svg: the yearly emission and the supply against the cap, plotted (no plotting
  library needed).

The rule (docs/economics.md): each epoch of year y emits E_y, E_{y+1} = floor(E_y * (1e9 - p) /
1e9) where p is the yearly decay in parts per billion; an epoch's emission is cut to what
remains under the cap. Python integers are exact, so this is the rule itself, not a model.
"""

import csv
import os

PLANCK = 10**12  # 1 DPN

# Production parameters (runtime/src/genesis_config_presets.rs, `production_emission`).
EPOCHS_PER_YEAR = 8_766  # one-hour epochs (600 blocks of 6 s) in a 365.25-day year
EPOCH_EMISSION = 11_407_710_000_000_000  # 11,407.71 DPN: 100 million DPN in year 0
YEARLY_DECAY_PPB = 150_000_000  # 15% per year
CAP = 1_000_000_000 * PLANCK  # one billion DPN
GENESIS_SUPPLY = 300_000_000 * PLANCK  # example genesis supply for the curve
YEARS = 60

HERE = os.path.dirname(os.path.abspath(__file__))


def schedule(years):
    """Rows (year, epoch emission, year emission, supply at year end)."""
    rows = []
    per_epoch = EPOCH_EMISSION
    supply = GENESIS_SUPPLY
    for year in range(years):
        if year > 0:
            per_epoch = per_epoch * (10**9 - YEARLY_DECAY_PPB) // 10**9
        year_emission = 0
        # Epochs are identical within a year, except where the cap cuts in.
        full = min(EPOCHS_PER_YEAR, (CAP - supply) // per_epoch if per_epoch else EPOCHS_PER_YEAR)
        year_emission += full * per_epoch
        supply += full * per_epoch
        if full < EPOCHS_PER_YEAR:
            last = min(per_epoch, CAP - supply)
            year_emission += last
            supply += last
        rows.append((year, per_epoch, year_emission, supply))
    return rows


def write_csv(rows):
    with open(os.path.join(HERE, "emission_reference.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["year", "epoch_emission_planck", "year_emission_planck", "supply_planck"])
        for row in rows:
            w.writerow(row)


def write_svg(rows):
    width, height, left, bottom, top, right = 760, 420, 80, 50, 30, 80
    plot_w, plot_h = width - left - right, height - top - bottom
    max_year = rows[-1][0]
    max_emission = max(r[2] for r in rows)

    def x(year):
        return left + plot_w * year / max_year

    def y_supply(value):
        return top + plot_h * (1 - value / CAP)

    def y_emission(value):
        return top + plot_h * (1 - value / max_emission)

    supply = " ".join(f"{x(r[0]):.1f},{y_supply(r[3]):.1f}" for r in rows)
    emission = " ".join(f"{x(r[0]):.1f},{y_emission(r[2]):.1f}" for r in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14">'
        "DPN emission schedule (production parameters)</text>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="black"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="black"/>',
        f'<line x1="{left + plot_w}" y1="{top}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="black"/>',
        f'<line x1="{left}" y1="{y_supply(CAP):.1f}" x2="{left + plot_w}" y2="{y_supply(CAP):.1f}" '
        'stroke="gray" stroke-dasharray="4 4"/>',
        f'<text x="{left + 6}" y="{y_supply(CAP) + 14:.1f}" fill="gray">cap: 1,000 M DPN</text>',
        f'<polyline points="{supply}" fill="none" stroke="#1f77b4" stroke-width="2"/>',
        f'<polyline points="{emission}" fill="none" stroke="#d62728" stroke-width="2"/>',
        f'<text x="{left + plot_w - 4}" y="{y_supply(rows[-1][3]) - 6:.1f}" text-anchor="end" '
        'fill="#1f77b4">supply (left axis)</text>',
        f'<text x="{x(3):.1f}" y="{y_emission(rows[2][2]) - 6:.1f}" fill="#d62728">'
        "yearly emission (right axis)</text>",
    ]
    for year in range(0, max_year + 1, 10):
        parts.append(
            f'<text x="{x(year):.1f}" y="{top + plot_h + 18}" text-anchor="middle">{year}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2}" y="{height - 8}" text-anchor="middle">years after genesis</text>'
    )
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        value = CAP * fraction
        parts.append(
            f'<text x="{left - 6}" y="{y_supply(value) + 4:.1f}" text-anchor="end">'
            f"{value / PLANCK / 1e6:.0f} M</text>"
        )
        value = max_emission * fraction
        parts.append(
            f'<text x="{left + plot_w + 6}" y="{y_emission(value) + 4:.1f}">'
            f"{value / PLANCK / 1e6:.0f} M</text>"
        )
    parts.append("</svg>")
    with open(os.path.join(HERE, "emission.svg"), "w") as f:
        f.write("\n".join(parts) + "\n")


if __name__ == "__main__":
    rows = schedule(YEARS)
    write_csv(rows)
    write_svg(rows)
    print(f"year 0: {rows[0][2] / PLANCK:,.2f} DPN; supply after {YEARS} years: "
          f"{rows[-1][3] / PLANCK:,.2f} DPN")
