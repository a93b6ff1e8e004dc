"""Benchmarks: each module's ``run(quick)`` returns rows of a figure beside its same-run baseline."""
