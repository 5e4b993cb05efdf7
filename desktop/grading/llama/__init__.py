"""The in-process llama.cpp backend and what it needs: what this computer can run, opening a
model file (the first time in a child process, the load probe), chat templates rendered in a
sandboxed child, greedy decoding under a grammar, and reuse of the KV cache. The only part of
the app that imports llama_cpp."""
