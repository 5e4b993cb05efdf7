"""Grades and the grader's Protocol, calibration of a model against known grades, the
model files found and the model service the UI talks to."""
