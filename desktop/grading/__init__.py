"""Grading: the only package that uses llama_cpp. Model discovery, loading, prompts,
constrained output, key-point evidence, calibration and the remote (OpenAI-compatible) backend.
"""
