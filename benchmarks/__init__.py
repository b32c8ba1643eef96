"""The benchmarks behind make bench and make bench-browser (reports, never tests)."""
