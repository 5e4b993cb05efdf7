"""Word lists behind evidence matching: function words, and the abbreviations and synonyms that
machine-learning interview answers use for one concept.

`PHRASES` maps a canonical term to the spellings (lower case, hyphens as spaces) that mean it;
`WORD_ALIASES` maps single words after phrase joining. Extend them here, with examples in tests.
"""

from __future__ import annotations

PHRASES: dict[str, tuple[str, ...]] = {
    "ddp": ("distributeddataparallel", "distributed data parallel", "distributed data parallelism"),
    "fsdp": (
        "fullyshardeddataparallel",
        "fully sharded data parallel",
        "fully sharded data parallelism",
    ),
    "fp16": ("half precision", "float16", "16 bit float", "16 bit floating point", "half floats"),
    "bf16": ("bfloat16", "brain float 16", "brain floating point", "bfloat 16"),
    "fp32": (
        "float32",
        "single precision",
        "full precision",
        "32 bit float",
        "32 bit floating point",
    ),
    "int8": ("8 bit integer", "8 bit integers", "8 bit quantization", "8 bit"),
    "int4": ("4 bit integer", "4 bit integers", "4 bit quantization", "4 bit"),
    "oom": ("out of memory", "outofmemory", "outofmemoryerror", "memory error"),
    "lora": ("low rank adaptation", "low rank adapter", "low rank adapters"),
    "qlora": ("quantized lora", "quantised lora", "quantized low rank adaptation"),
    "peft": ("parameter efficient fine tuning", "parameter efficient finetuning"),
    "kvcache": ("kv cache", "key value cache", "kv caching", "key value caching"),
    "rlhf": ("reinforcement learning from human feedback",),
    "dpo": ("direct preference optimization", "direct preference optimisation"),
    "ppo": ("proximal policy optimization", "proximal policy optimisation"),
    "rag": ("retrieval augmented generation",),
    "llm": ("large language model", "large language models", "llms"),
    "gpu": ("graphics card", "graphics cards", "graphics processing unit", "gpus"),
    "cpu": ("central processing unit", "processor", "cpus"),
    "mlm": ("masked language model", "masked language modeling", "masked language modelling"),
    "gradaccum": (
        "gradient accumulation",
        "accumulate gradients",
        "accumulating gradients",
        "accumulated gradients",
        "grad accumulation",
    ),
    "gradcheckpoint": (
        "gradient checkpointing",
        "activation checkpointing",
        "activation recomputation",
        "recompute activations",
        "recomputing activations",
    ),
    "batchnorm": ("batch normalization", "batch normalisation", "batch norm", "batchnormalization"),
    "layernorm": ("layer normalization", "layer normalisation", "layer norm"),
    "amp": ("automatic mixed precision", "mixed precision"),
    "allreduce": ("all reduce",),
    "rope": (
        "rotary position embedding",
        "rotary position embeddings",
        "rotary positional embedding",
        "rotary positional embeddings",
        "rotary embeddings",
    ),
    "learnrate": ("learning rate", "learning rates", "step size"),
    "neuralnet": ("neural network", "neural networks", "neural net", "neural nets"),
    "dataleak": ("data leakage", "leakage", "leak", "leaked", "leaking"),
    "overfit": ("overfitting", "over fitting", "overfits", "overfitted", "over fit"),
    "underfit": ("underfitting", "under fitting", "underfits", "underfitted", "under fit"),
    "batchsize": ("batch size", "batch sizes", "batchsize"),
    "seqlen": ("sequence length", "sequence lengths", "context length", "seq len"),
    "onnx": ("open neural network exchange",),
    "vllm": ("paged attention", "pagedattention"),
    "backprop": ("backpropagation", "back propagation", "backward pass"),
}

WORD_ALIASES: dict[str, str] = {
    "bn": "batchnorm",
    "ln": "layernorm",
    "lr": "learnrate",
    "vram": "memory",
    "ram": "memory",
    "mem": "memory",
    "gradient": "grad",
    "gradients": "grad",
    "grads": "grad",
    "optimiser": "optimizer",
    "optimisers": "optimizer",
    "params": "parameter",
    "param": "parameter",
    "weights": "weight",
    "big": "large",
    "bigger": "large",
    "larger": "large",
    "smaller": "small",
    "tiny": "small",
    "quicker": "fast",
    "faster": "fast",
    "quick": "fast",
    "slower": "slow",
    "decrease": "reduce",
    "decreases": "reduce",
    "decreasing": "reduce",
    "lower": "reduce",
    "lowers": "reduce",
    "lowering": "reduce",
    "shrink": "reduce",
    "raise": "increase",
    "raises": "increase",
    "grow": "increase",
    "grows": "increase",
    "higher": "increase",
    "colour": "color",
    "behaviour": "behavior",
    "modelling": "modeling",
    "centre": "center",
    "fn": "function",
    "func": "function",
    "var": "variable",
    "vars": "variable",
    "ptr": "pointer",
    "init": "initialize",
}

STOPWORDS: frozenset[str] = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing done down during each either
    etc few for from further get gets got had has have having he her here hers him his how i
    if in into is it its itself just let lets may me might more most much must my myself
    of off on once one only or other ought our ours out over own per same shall she should so
    some such than that the their theirs them then there these they this those through thus to
    too under until up upon us use used uses using very via was we were what when where which
    while who whom why will with would yes yet you your yours e g ie eg i.e like well""".split()  # noqa: SIM905
)
