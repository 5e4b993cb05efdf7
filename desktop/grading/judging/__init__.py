"""Grading an answer: the prompts, the model's verdict on each key point, their reliability
measured on the held-in cases, and the one score that combines them with the evidence. Any
`CompletionBackend` serves; nothing here knows llama.cpp or a server."""
