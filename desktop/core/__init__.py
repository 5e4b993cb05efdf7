"""Plain-Python domain layer: dataclasses, rules and Protocols shared by every other package.

Nothing here imports Qt, SQLAlchemy, llama_cpp or any sibling package of ours.
"""
