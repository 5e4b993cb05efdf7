"""The mock interview screen: setup, timed questions without references, then the summary."""
