"""Casebook: customer cases, white papers and solution kits, published from git."""

__version__ = "0.1.0"
