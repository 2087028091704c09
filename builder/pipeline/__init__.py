"""One build, in order: check (load, catalog), stage (collateral, the staging docs tree, reports), publish (an engine builds the site, the guard reads it, it is swapped in)."""
