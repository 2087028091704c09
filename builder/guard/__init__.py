"""The leak guard: reads every built output (HTML, feeds, PDFs, zips) and proves no non-public item or internal value is in it."""
