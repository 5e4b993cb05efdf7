"""Model files on disk: finding them, reading their GGUF headers (never the weights), opening a
path safely, fingerprinting their content, and installing the catalog's models."""
