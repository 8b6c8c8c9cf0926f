"""Benchmarks: data generators and scripts that print figures (see bin/run-bench)."""
