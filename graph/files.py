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
from glob import escape as glob_escape
from pathlib import Path

__all__ = ["remove_stale_temporaries", "write_atomic"]


_SUFFIX = ".partial"


def remove_stale_temporaries(target: str | os.PathLike[str]) -> list[Path]:
    """Delete the temporary files that writes of ``target`` killed midway (``kill -9``, a power
    cut) left beside it: those whose writing process is gone. Return what was removed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / ".graph.nq.999999999.abc.partial").write_bytes(b"half")
    >>> [p.name for p in remove_stale_temporaries(folder / "graph.nq")]
    ['.graph.nq.999999999.abc.partial']
    """
    target = Path(target)
    removed = []
    for path in target.parent.glob(f".{glob_escape(target.name)}.*{_SUFFIX}"):
        pid = path.name[len(target.name) + 2 :].split(".", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def write_atomic(out: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``out`` through a temporary file in the same folder, then rename it.

    A reader never sees a half-written file, and an interrupted write leaves the old file as it
    was. The file gets the usual permissions (0666 less the umask), not the temporary file's 0600.
    """
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=_SUFFIX, dir=target.parent)
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
