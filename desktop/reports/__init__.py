"""Statistics and exporters (PDF, HTML, CSV, JSON); no widgets."""
