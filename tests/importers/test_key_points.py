"""Key points from a reference answer's structure, or its sentences when it has none."""

from __future__ import annotations

from desktop.core.bank.notes_markdown.inline import clip, plain_text, strip_quotes
from desktop.core.bank.notes_markdown.key_points import MAX_POINT_CHARS, claim_parts
from desktop.importers import extract_key_points


def test_bullets_and_numbered_items() -> None:
    reference = "- First point\n- Second `point`\n\n1. Step one\n2. **Step two**: do it"
    assert extract_key_points(reference) == (
        "First point",
        "Second point",
        "Step one",
        "Step two: do it",
    )


def test_nested_items_belong_to_their_parent() -> None:
    reference = "1. Identify bottlenecks:\n   - Batch too large\n   - Model too large\n2. Fix it"
    assert extract_key_points(reference) == (
        "Identify bottlenecks: Batch too large; Model too large",
        "Fix it",
    )


def test_a_label_introducing_a_list_becomes_one_point() -> None:
    reference = "**Fixes**:\n- Lower the rate\n- Add warmup.\n\n**Gotcha**: check the data."
    assert extract_key_points(reference) == (
        "Fixes: Lower the rate; Add warmup",
        "Gotcha: check the data.",
    )


def test_a_label_with_only_code_is_not_a_point() -> None:
    reference = "**Example**:\n```python\nx = 1\n```\n\n**Why?** It is fast."
    assert extract_key_points(reference) == ("Why? It is fast.",)


def test_long_groups_are_split_not_lost() -> None:
    items = "\n".join(f"- item number {n} with some words to make it long" for n in range(8))
    points = extract_key_points("**Checklist**:\n" + items)
    assert len(points) > 1
    assert all(len(point) <= MAX_POINT_CHARS for point in points)
    assert all(point.startswith("Checklist: ") for point in points)
    joined = " ".join(points)
    assert all(f"item number {n}" in joined for n in range(8))


def test_sentences_when_there_is_no_structure() -> None:
    reference = (
        "Autograd records operations. It builds a graph!\n\nThe graph is freed after backward."
    )
    assert extract_key_points(reference) == (
        "Autograd records operations.",
        "It builds a graph!",
        "The graph is freed after backward.",
    )


def test_duplicates_and_markdown_noise_are_dropped() -> None:
    reference = "- [x] **Use** [FSDP](https://x.y) _here_\n- Use FSDP here\n- <b>Done</b>"
    assert extract_key_points(reference) == ("Use FSDP here", "Done")


def test_tables_and_code_only_give_nothing() -> None:
    assert extract_key_points("| a | b |\n|---|---|\n| 1 | 2 |") == ()
    assert extract_key_points("```\ncode only\n```") == ()


def test_inline_helpers() -> None:
    assert plain_text("`__init__()` and **bold** and *em*") == "__init__() and bold and em"
    assert plain_text("2 * 3 * 4 and snake_case_name") == "2 * 3 * 4 and snake_case_name"
    assert strip_quotes('"It works."') == "It works."
    assert strip_quotes('"a" and "b"') == '"a" and "b"'
    assert clip("word " * 100, 50).endswith("…")
    assert len(clip("word " * 100, 50)) <= 50
    assert clip("One sentence here. Another one that is long enough to cut.", 30) == (
        "One sentence here."
    )


def test_a_folded_point_splits_back_into_its_claims_each_with_its_head() -> None:
    (point,) = extract_key_points("**DDP**:\n- full model copy per GPU\n- gradients all-reduced\n")
    assert claim_parts(point) == ("DDP: full model copy per GPU", "DDP: gradients all-reduced")
    assert claim_parts("Why? it is cheap; it is exact") == ("Why? it is cheap", "Why? it is exact")
    assert claim_parts("no head here; and a second claim") == ("no head here", "and a second claim")
    assert claim_parts("one claim: no parts") == ("one claim: no parts",)
