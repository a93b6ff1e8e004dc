"""What a training is doing, as a catalogue key with its values, so each reader words it in their own language."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Text = Callable[..., str]


@dataclass(frozen=True)
class Step:
    """A progress message of a training: ``key`` (``train.progress.*``) filled in with ``values``.

    ``model`` is the model key the step is about (shown by its name). A `Step` crosses the job's pipe
    as it is; the Train page words it with the user's catalogue, the command line in English.
    """

    key: str
    values: dict = field(default_factory=dict)
    model: str | None = None

    def words(self, text: Text) -> str:
        """The step in the language of ``text`` (``texts.text_for(lang)`` or ``ui.i18n.t``)."""
        values = dict(self.values)
        if self.model is not None:
            values["model"] = text(f"model.{self.model}.name")
        return text(self.key, **values)

    def __str__(self) -> str:
        from texts import text_for  # noqa: PLC0415 — English only where a plain string is asked for

        return self.words(text_for("en"))


def step_words(message, text: Text) -> str:
    """A progress message in the language of ``text``: a `Step` worded, anything else as it is."""
    return message.words(text) if isinstance(message, Step) else str(message or "")


__all__ = ["Step", "step_words"]
