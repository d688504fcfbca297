"""Input generators for tests and benchmarks (sample WARCs, hostile landing folders)."""
