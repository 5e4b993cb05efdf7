"""The review loop: cards and their FSRS schedule, the study day, the due queue, rating
suggestions, a review session and how an answer is recorded."""
