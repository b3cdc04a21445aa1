"""Benchmarks (`make bench`): each prints a figure and its ratio to a baseline from the same run."""
