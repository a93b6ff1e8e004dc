"""Accounts: what the session guard, a sign-in and a storage-quota check cost, beside their bare parts.

The guard runs on every script run of every page, so it must stay a small fraction of a page run;
a sign-in should cost what bcrypt costs and no more; the quota check walks the user's directory
before every ingest.
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import bcrypt
import duckdb

from storage import paths, users
from storage.users import UserStore

PASSWORD = "Secret#123"


def _median_seconds(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(quick: bool = False) -> list[dict]:
    n_users, n_files, repeat = (50, 200, 20) if quick else (500, 2000, 200)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = UserStore(root)
        password_hash = users.hash_password(PASSWORD)
        for i in range(n_users):
            store.create(f"user{i:04d}", "User", f"user{i}@example.com", password_hash)
        target = f"user{n_users // 2:04d}"

        guard = _median_seconds(lambda: store.get(target), repeat)
        con = duckdb.connect(str(paths.system_db_path(root)))
        bare = _median_seconds(lambda: con.execute("SELECT * FROM users WHERE username = ?", [target]).fetchone(),
                               repeat)
        con.close()

        sign_in = _median_seconds(lambda: store.authenticate(target, PASSWORD), max(3, repeat // 20))
        check = _median_seconds(lambda: bcrypt.checkpw(PASSWORD.encode(), password_hash.encode()),
                                max(3, repeat // 20))

        home = paths.user_dir(target, root)
        for i in range(n_files):
            folder = home / f"models/run{i % 50:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"part{i}.bin").write_bytes(b"x" * 1024)
        walk = _median_seconds(lambda: users.ensure_storage_room(target, 1, root), max(3, repeat // 10))
        naive = _median_seconds(lambda: sum(p.stat().st_size for p in home.rglob("*") if p.is_file()),
                                max(3, repeat // 10))
    return [
        {"figure": f"session guard per page run ({n_users} accounts)", "ours": guard * 1e3,
         "baseline_label": "SELECT on an open DuckDB connection", "baseline": bare * 1e3, "unit": "ms",
         "target": "< 5 ms"},
        {"figure": "sign-in (lockout bookkeeping + audit)", "ours": sign_in * 1e3,
         "baseline_label": "bcrypt.checkpw alone (cost 12)", "baseline": check * 1e3, "unit": "ms",
         "target": "≤ 1.2×"},
        {"figure": f"storage quota check ({n_files:,} files)", "ours": walk * 1e3,
         "baseline_label": "Path.rglob + stat", "baseline": naive * 1e3, "unit": "ms", "target": "≤ 1.0×"},
    ]


if __name__ == "__main__":
    for row in run(quick=True):
        print(row)
