"""The desktop UI: the only package that uses QtWidgets."""
