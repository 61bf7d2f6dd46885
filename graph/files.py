"""Writing output files atomically (I/O edge shared by the exporters and the viewer).

Examples
--------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "sub" / "x.txt"
>>> write_atomic(out, b"hello").read_bytes()
b'hello'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(out: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``out`` through a temporary file in the same folder, then rename it.

    A reader never sees a half-written file, and an interrupted write leaves the old file as it
    was. The file gets the usual permissions (0666 less the umask), not the temporary file's 0600.
    """
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
