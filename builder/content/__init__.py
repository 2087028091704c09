"""The content model and loading: project settings, front matter schemas, Markdown bodies, and files read into a Library with located errors."""
