"""Generate the reference pages that are derived from code, or check they are current.

python scripts/generate_reference.py          # write docs/reference/*.md
python scripts/generate_reference.py --check  # exit 1 when a committed page is stale
"""

import sys
from pathlib import Path

from pydantic.fields import FieldInfo

from medianest.http.errors import STATUS_BY_CODE
from medianest.kit.errors import ERROR_DESCRIPTIONS, ErrorCode
from medianest.settings import Settings

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "reference"


def _default(field: FieldInfo) -> str:
    if field.default_factory is not None:
        return "(empty)"
    if field.default is None:
        return "(unset)"
    value = getattr(field.default, "value", field.default)
    return f"`{value}`" if str(value) else "(empty)"


def environment_page() -> str:
    lines = [
        "# Environment variables",
        "",
        "<!-- Generated from medianest.settings.Settings by scripts/generate_reference.py. -->",
        "",
        "Every setting is read once at start-up. Secrets (`JWT_SECRET`, `METRICS_TOKEN`) may",
        "also be given as `<NAME>_FILE` pointing at a file that holds the value.",
        "",
        "| Variable | Default | Description |",
        "|---|---|---|",
    ]
    for field in Settings.model_fields.values():
        name = str(field.validation_alias)
        description = (field.description or "").replace("|", "\\|")
        lines.append(f"| `{name}` | {_default(field)} | {description} |")
    return "\n".join(lines) + "\n"


def error_codes_page() -> str:
    lines = [
        "# Error codes",
        "",
        "<!-- Generated from medianest.kit.errors by scripts/generate_reference.py. -->",
        "",
        "Every error answers with",
        '`{"success": false, "error": {"code", "message", "details"}, "correlationId"}`.',
        "",
        "| Code | HTTP status | Meaning |",
        "|---|---|---|",
    ]
    lines += [
        f"| `{code}` | {STATUS_BY_CODE[code]} | {ERROR_DESCRIPTIONS[code]} |" for code in ErrorCode
    ]
    return "\n".join(lines) + "\n"


PAGES = {"environment.md": environment_page, "error-codes.md": error_codes_page}


def main(check: bool) -> int:
    stale = []
    for name, render in PAGES.items():
        path = REFERENCE / name
        content = render()
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != content:
                stale.append(str(path))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    if stale:
        sys.stderr.write(f"stale reference pages (run `make artifacts`): {', '.join(stale)}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv[1:]))
