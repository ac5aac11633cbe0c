"""Checking the fakes' answers against the JSON schemas of the published API descriptions.

The schemas are committed in tests/fakes/specs/, extracted by scripts/extract_*_schemas.py.
Where a published description contradicts what the real service answers, the contract tests
correct the schema with errata: a JSON pointer to a field of the schema and what goes there.
"""

import copy
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "tests" / "fakes" / "specs"


def with_errata(
    schema: dict[str, Any], errata: Mapping[str, Any]
) -> tuple[dict[str, Any], set[str]]:
    """A copy of `schema` with the errata whose place it holds, and the pointers applied.

    An erratum whose parent the schema lacks (say, a component it does not reference) is left
    out; one naming a field its parent lacks fails.
    """
    schema = copy.deepcopy(schema)
    applied = set()
    for pointer, replacement in errata.items():
        *parents, last = pointer.strip("/").split("/")
        node: Any = schema
        for part in parents:
            if isinstance(node, list):
                node = node[int(part)] if part.isdigit() and int(part) < len(node) else None
            else:
                node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            assert last in node, f"erratum for a field the schema lacks: {pointer}"
            node[last] = replacement
            applied.add(pointer)
    return schema, applied


def checked_validator(
    schema: dict[str, Any], format_checker: FormatChecker | None = None
) -> Draft202012Validator:
    """A validator of `schema`, itself checked to be JSON Schema 2020-12."""
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=format_checker)


def assert_follows(validator: Draft202012Validator, payload: object) -> None:
    """Fail naming where (the first ten places) `payload` does not follow the schema."""
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def assert_extraction_is_current(script: str) -> None:
    """`python <script> --check` passes: the committed files are what the specs hold.

    Where the specs are at hand (../shared/specs); elsewhere the script says so and passes.
    """
    check = subprocess.run(
        [sys.executable, script, "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
