"""Whole text files, a few megabytes at a time: copied to UTF-8 scratch files, or checked to be UTF-8.

DuckDB reads UTF-8 and Latin-1 itself; CP949/EUC-KR and UTF-16 would need its ``encodings`` extension,
which is a download, so such files are transcoded here first.
"""
from __future__ import annotations

import codecs
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.ingest.progress import Progress

TRANSCODE_CHUNK = 4 << 20


def transcode_to_utf8(source: Path, target: Path, encoding: str, limit_bytes: int | None = None,
                      progress: Progress | None = None, span: tuple[float, float] = (0.0, 1.0)) -> None:
    """Copy ``source`` to ``target`` as UTF-8, a few megabytes at a time (never the whole file in memory).

    Raises ``UnicodeDecodeError`` (with the byte offset) when the file is not valid ``encoding``.
    ``limit_bytes`` stops after about that many bytes, at a line break (for previews).
    """
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    total = max(Path(source).stat().st_size, 1)
    done = 0
    first = True
    with open(source, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        while True:
            chunk = src.read(TRANSCODE_CHUNK)
            final = not chunk
            try:
                text = decoder.decode(chunk, final)
            except UnicodeDecodeError as err:
                raise UnicodeDecodeError(err.encoding, err.object, done + err.start, done + err.end,
                                         err.reason) from None
            if first:
                text = text.lstrip("\ufeff")
                first = False
            if limit_bytes is not None and done + len(chunk) >= limit_bytes and not final:
                cut = text.rfind("\n")
                dst.write(text[: cut + 1] if cut >= 0 else text)
                return
            dst.write(text)
            done += len(chunk)
            if progress is not None:
                low, high = span
                progress(low + (high - low) * done / total, "transcode")
            if final:
                return


@contextmanager
def scratch_file(scratch_dir: Path | None, suffix: str) -> Iterator[Path]:
    """A fresh empty file in ``scratch_dir`` (the system's temporary directory when ``None``), deleted after."""
    if scratch_dir is not None:
        Path(scratch_dir).mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=scratch_dir, suffix=suffix, delete=False)
    handle.close()
    path = Path(handle.name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def is_utf8(path: Path) -> bool:
    """Whether the whole file is UTF-8 (read in chunks; only asked when DuckDB has failed on it)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(TRANSCODE_CHUNK):
                decoder.decode(chunk, False)
            decoder.decode(b"", True)
    except UnicodeDecodeError:
        return False
    return True


def _line_encoding(line: bytes) -> str | None:
    """'utf-8' or 'cp949' for a line with non-ASCII text in one of them; None for ASCII or neither."""
    if line.isascii():
        return None
    for encoding in ("utf-8", "cp949"):
        try:
            line.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def mixed_encoding_line(path: Path) -> tuple[int, str, str] | None:
    """``(line, first, second)`` when the file's lines are in two encodings (UTF-8 and CP949): the 1-based
    number of the first line in ``second``, after lines in ``first``; None otherwise. Reads the file a line
    at a time (only asked once a read has failed)."""
    first = None
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, start=1):
            if number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            encoding = _line_encoding(line)
            if encoding is None:
                continue
            if first is None:
                first = encoding
            elif encoding != first:
                return number, first, encoding
    return None
