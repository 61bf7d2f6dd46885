"""Build hook: the extractor compiled with mypyc when ``SECKG_COMPILE=1``, else pure Python.

Everything else about the package is in ``pyproject.toml``. A default build (``pip install .``,
``make install``'s editable one) is pure Python. With ``SECKG_COMPILE=1`` and mypy installed
beside setuptools (``pip install --no-build-isolation``: ``make compiled`` does both), the modules
of ``graph/extract`` are compiled to C extensions with mypyc, the way black and mypy ship theirs:
same code, same records, about 1.15-1.2x faster (``bench/bench_extract_scale.py --compiled``).
mypyc type-checks the modules first, with the ``[tool.mypy]`` settings that ``make lint`` uses,
and checks the annotations at run time. ``graph/extract/__init__.py`` stays Python: the package
``graph.extract`` shares its name with the function ``graph.extract`` re-exports.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import setup


def _extensions() -> list:
    if os.environ.get("SECKG_COMPILE") != "1":
        return []
    from mypyc.build import mypycify

    modules = sorted(str(p) for p in Path("graph/extract").glob("*.py") if p.name != "__init__.py")
    return mypycify(modules, opt_level="3")


setup(ext_modules=_extensions())
