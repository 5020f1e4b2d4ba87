"""Writing a file so that no reader ever sees it half-written, and a failed write leaves the
old file as it was: the bytes go to a temporary file in the same folder, which one rename
(``os.replace``, atomic on POSIX) puts in place."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes | str) -> None:
    """Write ``data`` (text as UTF-8, line ends as given) to ``path``, making its folder if
    needed. The file keeps the permissions of the one it replaces; a new one gets
    ``rw-r--r--`` (a temporary file is private, and a site serves what the build writes).

    Raises:
        OSError: the folder or the file cannot be written (the old file is left unchanged).
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
