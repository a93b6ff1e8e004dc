"""Refusing a training up front when the user's storage is full: its runs and model would have nowhere to go."""
from __future__ import annotations

from storage.users import MB, QuotaExceeded, storage_quota, storage_used
from storage.workspace import Workspace

#: Room a training needs at the least: the records of its runs (scores, curves). A model bundle that does
#: not fit is caught when it is saved (the run is kept, the model is not), so this only stops a full store.
MIN_TRAINING_ROOM = 64 * 1024


def ensure_training_room(ws: Workspace) -> None:
    """Raise `QuotaExceeded` (before anything is queued or trained) when the user's storage is full."""
    quota = storage_quota(ws.username, ws.root)
    used = storage_used(ws.username, ws.root)
    if used + MIN_TRAINING_ROOM > quota:
        params = {"used_mb": used / MB, "quota_mb": quota / MB}
        raise QuotaExceeded(
            f"Your storage is full ({params['used_mb']:.1f} MB of {params['quota_mb']:.1f} MB), so a training would "
            "have no room for its results. Delete datasets or runs you no longer need, or ask your administrator "
            "for more space, then start the training again.", key="train.error.storage_full", params=params)
