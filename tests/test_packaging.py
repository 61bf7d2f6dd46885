"""The packaging configuration ships every folder of the package and every data file in it.

setuptools treats any folder inside a package as an importable (namespace) package: one missing
from ``[tool.setuptools] packages`` is left out of a wheel and makes ``pip install`` print a long
"Package would be ignored" warning per folder. This checks the list against the folders.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    from pip._vendor import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
ROOTS = {"graph": ROOT / "graph", "graph.ontology": ROOT / "ontology"}


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _folders() -> dict[str, Path]:
    """Package name -> folder, for every folder under the package roots that holds a file."""
    found = {}
    for name, root in ROOTS.items():
        for folder in [root, *root.rglob("*")]:
            if not folder.is_dir() or "__pycache__" in folder.parts or folder.name.startswith("."):
                continue
            if any(child.is_file() for child in folder.iterdir()):
                found[".".join([name, *folder.relative_to(root).parts])] = folder
    return found


def test_every_folder_is_a_listed_package():
    config = _setuptools()
    assert config["package-dir"] == {"graph.ontology": "ontology"}
    folders = _folders()
    assert {"graph.resolve", "graph.viewer_assets", "graph.ontology.queries"} <= set(folders)
    assert set(folders) == set(config["packages"])


def test_every_data_file_matches_its_package_data():
    patterns = _setuptools()["package-data"]
    missing = [
        str(path.relative_to(ROOT))
        for package, folder in _folders().items()
        for path in folder.iterdir()
        if path.is_file()
        and path.suffix not in (".py", ".pyc")
        and not any(fnmatch.fnmatch(path.name, p) for p in patterns.get(package, ()))
    ]
    assert missing == []
