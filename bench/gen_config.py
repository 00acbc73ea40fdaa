#!/usr/bin/env python3
"""Writes a router configuration for benchmarks.

  gen_config.py --pools 5 --agents-per-pool 50 --rules 10 > bench.yaml
  gen_config.py --pools 100 --agents-per-pool 20 --rules 500 > big.yaml   # 2,000 agents

Pools use round_robin with daily and monthly limits, a claim window and a schedule; rules
match on source, brand and budget and send each kind of lead to one pool; the last rule is
a catch-all.
"""
import argparse

BRANDS = ["toyota", "lexus", "ford", "vw", "bmw", "audi", "kia", "honda"]
SOURCES = ["web", "phone", "partner", "walk-in"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--pools", type=int, default=5)
    p.add_argument("--agents-per-pool", type=int, default=50)
    p.add_argument("--rules", type=int, default=10)
    p.add_argument("--database", default="bench.db")
    p.add_argument("--daily-limit", type=int, default=20000)
    p.add_argument("--monthly-limit", type=int, default=400000)
    p.add_argument("--claim-timeout", default="15m")
    p.add_argument("--strategy", default="round_robin")
    a = p.parse_args()

    out = []
    w = out.append
    w("version: 1")
    w("timezone: Europe/London")
    w(f"database: {a.database}")
    w("agents:")
    for pool in range(a.pools):
        for i in range(a.agents_per_pool):
            brand = BRANDS[(pool + i) % len(BRANDS)]
            w(f"  - {{ id: a{pool}-{i}, name: Agent {pool}-{i}, email: a{pool}-{i}@example.com, "
              f"tags: [{brand}, used], weight: {1 + i % 3} }}")
    w("calendars:")
    w("  uk:")
    w("    - { every_year: 12-25, name: Christmas }")
    w("    - { every_year: 01-01, name: New Year }")
    w("schedules:")
    w("  office:")
    w("    hours: { mon-fri: \"08:00-20:00\", sat-sun: \"09:00-18:00\" }")
    w("    holidays: [uk]")
    w("pools:")
    for pool in range(a.pools):
        w(f"  p{pool}:")
        w(f"    strategy: {a.strategy}")
        w("    members:")
        for i in range(a.agents_per_pool):
            w(f"      - {{ agent: a{pool}-{i}, daily_limit: {a.daily_limit}, "
              f"monthly_limit: {a.monthly_limit} }}")
        w(f"    default: a{pool}-0")
        w(f"    claim_timeout: {a.claim_timeout}")
        w("    schedule: office")
    w("rules:")
    for r in range(a.rules - 1):
        source = SOURCES[r % len(SOURCES)]
        brand = BRANDS[r % len(BRANDS)]
        w(f"  - name: r{r}")
        w("    when:")
        w(f"      source: {source}")
        w(f"      brand: [{brand}, {BRANDS[(r + 1) % len(BRANDS)]}]")
        w(f"      budget: {{ gte: {(r % 7) * 1000} }}")
        w(f"    pool: p{r % a.pools}")
    w("  - name: catch-all")
    w("    pool: p0")
    print("\n".join(out))


if __name__ == "__main__":
    main()
