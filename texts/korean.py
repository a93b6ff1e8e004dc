"""Korean particles chosen by the word before them (이/가, 은/는, 을/를, 이라서/라서), for sentences built from names."""
from __future__ import annotations

import re

STRINGS: dict[str, dict[str, str]] = {}

#: Digits whose Korean reading ends in a consonant: 영, 일, 삼, 육, 칠, 팔 (and 십, 백, 천 are not last digits).
_DIGITS_WITH_FINAL = set("013678")
#: Latin endings Koreans read with a final consonant: l, m, n, -ng, and b, k, p after a vowel (mock → 목).
_LATIN_WITH_FINAL = set("lmn")
_VOWELS = set("aeiou")


def has_final(word: str) -> bool:
    """Whether ``word`` ends in a consonant when read in Korean (decides 이/가, 은/는, 을/를...)."""
    text = str(word).rstrip(" '\"’)]}")
    if not text:
        return False
    last = text[-1]
    if "가" <= last <= "힣":
        return (ord(last) - ord("가")) % 28 != 0
    if last.isdigit():
        return last in _DIGITS_WITH_FINAL
    tail = text[-2:].lower()
    return tail[-1] in _LATIN_WITH_FINAL or tail in ("ng", "ck") or (
        len(tail) == 2 and tail[-1] in "bkp" and tail[0] in _VOWELS)


_PAIRS = {"이(가)": ("이", "가"), "은(는)": ("은", "는"), "을(를)": ("을", "를"), "(이)라서": ("이라서", "라서"),
          "(이)고": ("이고", "고"), "(으)로": ("으로", "로")}
_PAIR = re.compile("|".join(re.escape(p) for p in _PAIRS))


def _ends_in_rieul(word: str) -> bool:
    text = str(word).rstrip(" '\"’)]}")
    if not text:
        return False
    last = text[-1]
    if "가" <= last <= "힣":
        return (ord(last) - ord("가")) % 28 == 8
    return last in "178" or last.lower() == "l"


def particle(word: str, with_final: str, without_final: str) -> str:
    """``particle("점수", "이", "가")`` → ``"가"``; ``particle("학년", "이", "가")`` → ``"이"``."""
    return with_final if has_final(word) else without_final


def fix_particles(text: str) -> str:
    """Each written-both-ways particle (``이(가)``, ``은(는)``, ``을(를)``, ``(이)라서``,
    ``(으)로``) replaced by the one the word
    before it takes: ``"출석률이(가) 낮음"`` → ``"출석률이 낮음"``, ``"'2'(이)라서"`` → ``"'2'라서"``.
    Text without them (English) is returned as it is."""
    out, last = [], 0
    for match in _PAIR.finditer(text):
        before = text[last:match.start()]
        out.append(before)
        with_final, without_final = _PAIRS[match.group()]
        if match.group() == "(으)로" and _ends_in_rieul(text[:match.start()]):
            with_final = without_final  # a word ending in ㄹ takes 로, like one without a final
        out.append(particle(text[:match.start()], with_final, without_final))
        last = match.end()
    out.append(text[last:])
    return "".join(out)
