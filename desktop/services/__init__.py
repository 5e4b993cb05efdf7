"""Composition functions shared by the command line and the app: they wire importers, storage
and (later) grading together. No layer package imports this one."""
