"""Mock interviews: choosing the questions, the timed answers, the summary."""
