"""Reading model replies: validation, streamed feedback, degenerate output."""

from __future__ import annotations

import pytest

from desktop.core.grades import Verdict
from desktop.grading.backend import MalformedReply
from desktop.grading.degenerate import degeneration
from desktop.grading.verdicts import FeedbackStream, parse_reply


def test_a_valid_reply_is_read_in_key_point_order() -> None:
    reply = parse_reply('{"point_1": "covered", "point_2": "partial", "feedback": "Say why."}', 2)
    assert reply.verdicts == (Verdict.COVERED, Verdict.PARTIAL)
    assert reply.feedback == "Say why."
    assert reply.score == pytest.approx(0.75)


@pytest.mark.parametrize(
    "text",
    [
        "",
        '{"point_1": "covered", "feedback": "cut off',
        '["covered"]',
        '{"point_1": "excellent", "feedback": "x"}',
        '{"feedback": "no verdicts"}',
        '{"point_1": "covered", "feedback": 7}',
    ],
)
def test_unusable_replies_are_refused(text: str) -> None:
    with pytest.raises(MalformedReply):
        parse_reply(text, 1)


def test_feedback_streams_as_it_arrives_with_escapes_decoded() -> None:
    reply = '{"point_1": "missing", "feedback": "Name the \\"GIL\\"\\nand DDP."}'
    stream = FeedbackStream()
    pieces = [stream.feed(reply[index : index + 3]) for index in range(0, len(reply), 3)]
    assert "".join(pieces) == 'Name the "GIL"\nand DDP.'
    assert sum(1 for piece in pieces if piece) > 3


def test_healthy_feedback_passes() -> None:
    assert degeneration("It misses the GIL limitation of DataParallel.", "answer", "stop") is None


@pytest.mark.parametrize(
    ("feedback", "answer", "finish", "why"),
    [
        ("", "a", "stop", "no feedback"),
        ("   ", "a", "stop", "no feedback"),
        ("The answer is correct. The answer is correct. The answer is", "a", "stop", "repeated"),
        ("na " * 30, "a", "stop", "repeated"),
        ("covered", "a", "stop", "no feedback"),
        (
            "you said DDP starts a separate process for every GPU and averages",
            "DDP starts a separate process for every GPU and averages gradients",
            "stop",
            "echoed",
        ),
        ("Fine.", "a", "length", "ran out of room"),
    ],
)
def test_degenerate_feedback_is_a_model_failure(
    feedback: str, answer: str, finish: str, why: str
) -> None:
    problem = degeneration(feedback, answer, finish)
    assert problem is not None and why in problem
