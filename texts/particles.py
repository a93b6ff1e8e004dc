"""Korean particles chosen by the word before them: "버전 2를", "최종성적을", "'name'은" — not "을(를)".

A catalogue string asks for one with a format spec naming the particle: ``{version:를}``, ``{name:이}``,
``{column:'은}`` (a leading ``'`` puts the value in quotes first). Either form of a pair may be written;
the one that fits is chosen by the last syllable's final consonant (받침). Digits are read in Korean
(2 = 이 → 를, 3 = 삼 → 을, 10 = 십 → 을), Latin letters by their Korean names (R = 알, M = 엠) and
Latin words roughly as Korean writes them (name 네임 → 은, test 테스트 → 는).
"""
from __future__ import annotations

import string

STRINGS: dict[str, dict[str, str]] = {}

#: Each particle pair: (after a final consonant, after a vowel).
PAIRS = (("을", "를"), ("이", "가"), ("은", "는"), ("과", "와"), ("으로", "로"), ("이라", "라"), ("이나", "나"),
         ("아", "야"), ("이에요", "예요"), ("이었", "였"))
_BY_FORM = {form: pair for pair in PAIRS for form in pair}
#: The final consonant of each digit's Korean reading: None (a vowel), "ㄹ" or another consonant ("c").
_DIGITS = {"0": "c", "1": "ㄹ", "2": None, "3": "c", "4": None, "5": None, "6": "c", "7": "ㄹ", "8": "ㄹ", "9": None}
#: Latin letters whose Korean name ends in a consonant: L 엘, M 엠, N 엔, R 알.
_LETTERS = {"l": "ㄹ", "m": "c", "n": "c", "r": "ㄹ"}
_SKIPPED = set(string.whitespace) | set("'\"’”)]}>»」』.,!?\\*_`")


def final_sound(word: object) -> str | None:
    """The final consonant of how ``word`` is read at its end: None (a vowel), ``"ㄹ"`` or ``"c"`` (another)."""
    text = str(word).rstrip()
    while text and text[-1] in _SKIPPED:
        text = text[:-1]
    if not text:
        return None
    last = text[-1]
    if "가" <= last <= "힣":
        tail = (ord(last) - ord("가")) % 28
        return None if tail == 0 else "ㄹ" if tail == 8 else "c"
    if last.isdigit():
        digits = text[len(text.rstrip("0123456789")):]
        zeros = len(digits) - len(digits.rstrip("0"))
        if zeros == 0 or digits.strip("0") == "":
            return _DIGITS.get(last, "c")
        return "c"  # 십, 백, 천, 만: all end in a consonant
    if last.isascii() and last.isalpha():
        return _latin(text)
    return "c"


def _latin(text: str) -> str | None:
    """How a Latin word is read at its end: one letter by its name (R 알), a word roughly as Korean writes
    it (name 네임, file 파일, book 북, test 테스트, user 유저)."""
    word = ""
    for ch in reversed(text):
        if not (ch.isascii() and ch.isalpha()):
            break
        word = ch.lower() + word
    if len(word) == 1:
        return _LETTERS.get(word)
    if word.endswith(("l", "le")):
        return "ㄹ"
    if word.endswith(("m", "n", "me", "ne", "ng")):
        return "c"
    if word[-1] in "kptbgdc" and word[-2] in "aeiou":
        return "c"
    return None


def particle(word: object, form: str) -> str:
    """The particle of ``form``'s pair that fits after ``word`` (``particle("버전 2", "을")`` → ``"를"``)."""
    after_consonant, after_vowel = _BY_FORM[form]
    sound = final_sound(word)
    if after_consonant == "으로":
        return "로" if sound in (None, "ㄹ") else "으로"
    return after_vowel if sound is None else after_consonant


def attach(word: object, form: str) -> str:
    """``word`` followed by the particle that fits (``attach("최종성적", "를")`` → ``"최종성적을"``)."""
    return f"{word}{particle(word, form)}"


class ParticleFormatter(string.Formatter):
    """``str.format`` that also understands particle specs (``{name:를}``, ``{name:'은}``)."""

    def format_field(self, value, format_spec: str):
        quoted = format_spec.startswith("'")
        form = format_spec[1:] if quoted else format_spec
        if form in _BY_FORM:
            shown = f"'{value}'" if quoted else str(value)
            return attach(shown, form)
        return super().format_field(value, format_spec)


FORMATTER = ParticleFormatter()
