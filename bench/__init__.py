"""Benchmarks: each module prints figures (no assertions on time). Run with `make bench` or
`python -m bench.<name>`."""
