"""A training's progress is said in the reader's language: each step is a catalogue key, worded where it is read."""
from __future__ import annotations

import re

from sklearn.datasets import load_iris

from core.train import TrainSettings, train
from core.train.steps import Step, step_words
from texts import text_for


def _steps() -> list:
    frame = load_iris(as_frame=True).frame
    seen = []
    train(frame, TrainSettings(target="target", models=("dt",), folds=3, ensemble=False),
          progress=lambda fraction, message: seen.append(message))
    return seen


def test_every_step_of_a_training_is_worded_in_korean_without_english_words():
    steps = _steps()
    assert steps and all(isinstance(s, Step) for s in steps)
    korean = [step_words(s, text_for("ko")) for s in steps]
    assert any("확인 1/3 완료" in k for k in korean) and korean[-1] == "완료"
    for line in korean:
        # model names are product names (kept as they are); nothing else of ours is English
        english = re.findall(r"[A-Za-z]{3,}", line.replace(text_for("ko")("model.dt.name"), ""))
        assert not english, line


def test_the_command_line_reads_a_step_in_english():
    steps = _steps()
    assert any(str(s).endswith("check 1 of 3 done") for s in steps)
    assert step_words("1,000 / 5,000", text_for("ko")) == "1,000 / 5,000"  # a plain message is shown as it is
