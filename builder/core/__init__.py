"""Shared plumbing every stage may use: located problems, YAML with line numbers, days, the cache, workers; imports no other part of Casebook."""
