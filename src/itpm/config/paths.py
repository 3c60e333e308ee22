"""Where itpm keeps its data: one folder, created on first use."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path


def data_dir() -> Path:
    """The data folder: $ITPM_DATA_DIR, or ./itpm-data beside where itpm runs."""
    path = Path(os.environ.get("ITPM_DATA_DIR", "itpm-data")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(folder: Path) -> str:
    """$ITPM_SECRET_KEY, or a random key kept in the data folder (created once, mode 0600)."""
    from_env = os.environ.get("ITPM_SECRET_KEY")
    if from_env:
        return from_env
    key_file = folder / "secret.key"
    if not key_file.exists():
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: use theirs
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    for _ in range(50):  # the creator may still be writing it
        key = key_file.read_text().strip()
        if key:
            return key
        time.sleep(0.02)
    raise RuntimeError(f"{key_file} is empty: delete it or set ITPM_SECRET_KEY")
