"""Benchmarks of the assistant (`python -m bench`, `make bench`): figures written to bench/RESULTS.md."""
