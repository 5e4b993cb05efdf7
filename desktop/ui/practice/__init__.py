"""The practice screen: one question at a time, graded, rated, scheduled."""
