"""The question bank browser: search, filter, sort, view, edit, import, suspend and retire."""
