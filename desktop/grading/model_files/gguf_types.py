"""Tables from llama.cpp that give GGUF numbers their meaning: quantization names for
`general.file_type`, and the block layout of each tensor type (to know how many bytes a tensor
occupies, so a file cut short is noticed before llama.cpp maps it).

Copied from llama.h (`llama_ftype`) and gguf-py's `GGML_QUANT_SIZES` of the llama.cpp that
llama-cpp-python 0.3.36 vendors.
"""

from __future__ import annotations

# llama_ftype: what `general.file_type` says about the file as a whole.
FILE_TYPE_NAMES: dict[int, str] = {
    0: "F32",
    1: "F16",
    2: "Q4_0",
    3: "Q4_1",
    4: "Q4_1_SOME_F16",
    7: "Q8_0",
    8: "Q5_0",
    9: "Q5_1",
    10: "Q2_K",
    11: "Q3_K_S",
    12: "Q3_K_M",
    13: "Q3_K_L",
    14: "Q4_K_S",
    15: "Q4_K_M",
    16: "Q5_K_S",
    17: "Q5_K_M",
    18: "Q6_K",
    19: "IQ2_XXS",
    20: "IQ2_XS",
    21: "Q2_K_S",
    22: "IQ3_XS",
    23: "IQ3_XXS",
    24: "IQ1_S",
    25: "IQ4_NL",
    26: "IQ3_S",
    27: "IQ3_M",
    28: "IQ2_S",
    29: "IQ2_M",
    30: "IQ4_XS",
    31: "IQ1_M",
    32: "BF16",
    36: "TQ1_0",
    37: "TQ2_0",
    38: "MXFP4_MOE",
    39: "NVFP4",
    40: "Q1_0",
    41: "Q2_0",
}

_QK_K = 256

# ggml_type -> (elements per block, bytes per block)
TENSOR_BLOCK_SIZES: dict[int, tuple[int, int]] = {
    0: (1, 4),  # F32
    1: (1, 2),  # F16
    2: (32, 2 + 16),  # Q4_0
    3: (32, 2 + 2 + 16),  # Q4_1
    6: (32, 2 + 4 + 16),  # Q5_0
    7: (32, 2 + 2 + 4 + 16),  # Q5_1
    8: (32, 2 + 32),  # Q8_0
    9: (32, 2 + 2 + 32),  # Q8_1
    10: (_QK_K, 2 + 2 + _QK_K // 16 + _QK_K // 4),  # Q2_K
    11: (_QK_K, 2 + _QK_K // 4 + _QK_K // 8 + 12),  # Q3_K
    12: (_QK_K, 2 + 2 + _QK_K // 2 + 12),  # Q4_K
    13: (_QK_K, 2 + 2 + _QK_K // 2 + _QK_K // 8 + 12),  # Q5_K
    14: (_QK_K, 2 + _QK_K // 2 + _QK_K // 4 + _QK_K // 16),  # Q6_K
    15: (_QK_K, 4 + _QK_K + _QK_K // 8),  # Q8_K
    16: (_QK_K, 2 + _QK_K // 4),  # IQ2_XXS
    17: (_QK_K, 2 + _QK_K // 4 + _QK_K // 32),  # IQ2_XS
    18: (_QK_K, 2 + _QK_K // 4 + _QK_K // 8),  # IQ3_XXS
    19: (_QK_K, 2 + _QK_K // 8 + _QK_K // 16),  # IQ1_S
    20: (32, 2 + 16),  # IQ4_NL
    21: (_QK_K, 2 + _QK_K // 4 + _QK_K // 8 + _QK_K // 32 + 4),  # IQ3_S
    22: (_QK_K, 2 + _QK_K // 4 + _QK_K // 16),  # IQ2_S
    23: (_QK_K, 2 + 2 + _QK_K // 2 + _QK_K // 64),  # IQ4_XS
    24: (1, 1),  # I8
    25: (1, 2),  # I16
    26: (1, 4),  # I32
    27: (1, 8),  # I64
    28: (1, 8),  # F64
    29: (_QK_K, _QK_K // 8 + _QK_K // 16 + _QK_K // 32),  # IQ1_M
    30: (1, 2),  # BF16
    34: (_QK_K, 2 + 4 * 13),  # TQ1_0
    35: (_QK_K, 2 + 64),  # TQ2_0
    39: (32, 1 + 16),  # MXFP4
    40: (64, 4 + 32),  # NVFP4
    41: (128, 2 + 16),  # Q1_0
    42: (64, 2 + 16),  # Q2_0
}


def file_type_name(file_type: int | None) -> str:
    """`general.file_type` as people write it (Q4_K_M); "unknown" when absent."""
    if file_type is None:
        return "unknown"
    return FILE_TYPE_NAMES.get(file_type, f"type {file_type}")


def tensor_nbytes(ggml_type: int, element_count: int) -> int | None:
    """Bytes a tensor of this type occupies, or None for a type this table does not know."""
    layout = TENSOR_BLOCK_SIZES.get(ggml_type)
    if layout is None:
        return None
    block_elements, block_bytes = layout
    return element_count * block_bytes // block_elements
