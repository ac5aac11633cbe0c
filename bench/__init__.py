"""Load benchmarks for MediaNest: they print figures and never assert on timings."""
