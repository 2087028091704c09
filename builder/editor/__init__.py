"""The web editor for marketers who do not use git: Decap CMS published at admin/, configured from the content model (config), with a preview in the site's own look."""
