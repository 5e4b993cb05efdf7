"""The question bank: questions as parsed from notes, the bank's Protocol, importing, and
reading the Markdown of notes."""
