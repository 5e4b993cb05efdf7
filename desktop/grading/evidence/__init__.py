"""What the answer's own words show, with no model: the terms a key point needs and which of
them the answer uses, the direction and subject of its claims, and the checks on its shape (a
bare keyword list, a scrambled reference, a side taken with the wrong answer, instructions to
the grader). Imports nothing else of the grading package."""
