"""The activity log in the user's language: each recorded line (written in English by the workspace) said again
from the catalogue, with model keys as model names."""
from __future__ import annotations

import re

from texts import STRINGS
from ui.i18n import t

_PATTERNS = (
    ("predict", re.compile(r"(?P<rows>[\d,]+) row\(s\) of (?P<source>.+) with run (?P<run>\w+)"), "activity.predict"),
    ("predict", re.compile(r"(?P<rows>[\d,]+) row\(s\) with run (?P<run>\w+)"), "activity.predict_nosource"),
    ("train", re.compile(r"queued (?P<models>[\w, ]+) on '(?P<name>.*)' → (?P<target>.*)"), "activity.train_queued"),
    ("train", re.compile(r"(?P<models>[\w, ]+) on '(?P<name>.*)' → (?P<target>.*)"), "activity.train"),
    ("train", re.compile(r"on '(?P<name>.*)' → (?P<target>.*)"), "activity.train_one"),
    (None, re.compile(r"'(?P<name>.*)' \((?P<rows>[\d,]+) × (?P<columns>\d+)\) from (?P<source>.+)"), "activity.upload"),
    (None, re.compile(r"'(?P<name>.*)' \((?P<rows>[\d,]+) × (?P<columns>\d+)\)"), "activity.table"),
    ("edit", re.compile(r"'(?P<name>.*)' version (?P<version>\d+): (?P<what>.*)"), "activity.version"),
    ("edit", re.compile(r"renamed '(?P<old>.*)' to '(?P<new>.*)'"), "activity.renamed"),
    ("delete", re.compile(r"dataset '(?P<name>.*)'"), "activity.deleted_dataset"),
    ("delete", re.compile(r"run (?P<run>\w+)"), "activity.deleted_run"),
)


def model_name(key: str) -> str:
    return t(f"model.{key}.name") if f"model.{key}.name" in STRINGS else key


def detail_text(kind: str, detail: str, run_models: dict[str, str]) -> str:
    """One line of the log in the user's language (unchanged when it matches no known form)."""
    for wanted, pattern, key in _PATTERNS:
        if wanted not in (None, kind):
            continue
        found = pattern.fullmatch(str(detail))
        if not found:
            continue
        values = found.groupdict()
        if "models" in values:
            values["models"] = ", ".join(model_name(m.strip()) for m in values["models"].split(","))
        if "run" in values and key.startswith("activity.predict"):
            values["model"] = model_name(run_models.get(values["run"], values["run"]))
        return t(key, **values)
    return str(detail)


def outcome_text(outcome: str) -> str:
    """A recorded outcome in words ("finished" → "완료"; "failed: …" keeps its message)."""
    outcome = str(outcome or "")
    if outcome.startswith("failed: "):
        return t("activity.failed", error=outcome.removeprefix("failed: "))
    return t(f"word.outcome.{outcome}") if f"word.outcome.{outcome}" in STRINGS else outcome
