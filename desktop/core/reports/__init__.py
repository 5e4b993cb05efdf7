"""Progress reports: the learner's history as records, the report as plain data, and the
Protocol of the reporting service."""
