"""The string catalogue: every key has Korean and English text with the same placeholders."""
import string

import pytest

from texts import LANGUAGES, STRINGS


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_key_has_every_language_with_the_same_placeholders(key):
    entry = STRINGS[key]
    assert set(entry) == set(LANGUAGES), f"{key} lacks {set(LANGUAGES) - set(entry)}"
    assert all(entry[lang].strip() for lang in LANGUAGES)
    assert _fields(entry["ko"]) == _fields(entry["en"])


def test_every_key_the_code_uses_is_in_the_catalogue():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    used = set()
    for path in [root / "Home.py", *root.glob("pages/*.py"), *root.glob("ui/*.py")]:
        used |= set(re.findall(r"\bt\(\s*\"([a-z0-9_.]+)\"", path.read_text(encoding="utf-8")))
    assert used, "the scan found no t(...) calls"
    assert sorted(used - set(STRINGS)) == []
