"""The question bank: questions as parsed from notes, the bank's Protocol, importing (which
stored question a re-imported one is, which deck notes go to, what an import changes and when
retiring must be confirmed), and reading the Markdown of notes."""
