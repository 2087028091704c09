"""The site's pages: the catalog rendered into plain Markdown for the staging docs tree, with feeds, page metadata and the incremental tree writer."""
