"""The cookie signing key: generated once into an ignored secrets file, never kept in code."""
from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def ensure_secrets_file(path: Path) -> bool:
    """Create ``path`` (a Streamlit secrets.toml) with a random cookie key unless it exists.

    Returns True when a new file was written. The file is readable by its owner only.
    """
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("# Generated on first run by `make run`. Never commit this file.\n")
        fh.write(f'cookie_key = "{secrets.token_hex(32)}"\n')
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".streamlit/secrets.toml")
    if ensure_secrets_file(target):
        print(f"Generated a new cookie key in {target}")
