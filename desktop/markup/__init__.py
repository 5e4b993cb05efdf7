"""Markdown as the learner wrote it, turned into HTML for the app's views and the reports."""
