"""Synthetic caseloads: the demo vault, and the data tests and benchmarks use."""
