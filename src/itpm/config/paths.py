"""Where itpm keeps its data: one folder, created on first use."""

from __future__ import annotations

import os
import secrets
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
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()
