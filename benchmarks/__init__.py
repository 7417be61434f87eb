"""Benchmarks of the generator at scale (`make bench`); not part of the test suite."""
