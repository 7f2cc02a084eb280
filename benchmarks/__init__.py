"""Performance benchmarks: synthetic datasets (`generate`), the side-by-side runner (`run`, the
command line over `workers` and `profiles` for the in-process figures, `serving` and `browser`
for the figures in Chromium, `report` with its `report_sections` and `report_cells` for
BENCHMARKS.md; `measure`, `datasets` and `provenance` are what they share), and the load test
(`load`)."""
