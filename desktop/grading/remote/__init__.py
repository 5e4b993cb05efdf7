"""The backend for a model on an OpenAI-compatible server: HTTP with the standard library only,
one deadline per request, and the server's replies read defensively."""
