"""The architecture page's code map names every package and top-level module of medianest."""

import re
from pathlib import Path

import medianest

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "docs" / "architecture.md"
SOURCE = Path(medianest.__file__).resolve().parent


def _code_map_entries() -> set[str]:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("## Code map", 1)[1]
    return set(re.findall(r"^\| `(medianest(?:\.\w+)+)` \|", section, flags=re.MULTILINE))


def _packages_and_modules() -> set[str]:
    names = set()
    for path in SOURCE.iterdir():
        if (path.is_dir() and any(path.glob("*.py"))) or path.name == "migrations":
            names.add(f"medianest.{path.name}")
        elif path.suffix == ".py" and not path.name.startswith("__"):
            names.add(f"medianest.{path.stem}")
    for path in (SOURCE / "integrations").iterdir():
        if path.is_dir() and (path / "__init__.py").is_file():
            names.add(f"medianest.integrations.{path.name}")
    return names


def test_every_package_is_on_the_code_map() -> None:
    missing = _packages_and_modules() - _code_map_entries()
    assert not missing, f"add to the code map in docs/architecture.md: {sorted(missing)}"


def test_the_code_map_names_nothing_that_is_gone() -> None:
    gone = _code_map_entries() - _packages_and_modules()
    assert not gone, f"no longer in src/medianest, drop from docs/architecture.md: {sorted(gone)}"
