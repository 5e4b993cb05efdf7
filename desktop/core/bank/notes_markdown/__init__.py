"""Reading the Markdown of interview notes: line kinds, inline markup to plain text, and the key
points of a reference answer. Plain Python, shared by the importers and the grader, so a
reference gets the same key points however it arrives."""
