"""structlog and httpx, imported without rich and pygments.

Both import rich and pygments whenever they are installed (typer installs them): structlog
for pretty tracebacks, which neither of our log renderers uses (`kit.logging` prints plain
ones, in production as JSON), and httpx for its own command line (`httpx._main`), which no
MediaNest process runs. Hidden while those two load, rich and pygments stay out of the
server's memory (~12 MiB and ~0.15 s of imports); typer can still import them later (its
help). Importing this module first does it: `kit.logging` and `medianest.app` do.
"""

import sys

_HIDDEN = ("rich", "pygments", "better_exceptions")


def _import_without_pretty_printers(*modules: str) -> None:
    wanted = [name for name in modules if name not in sys.modules]
    if not wanted:
        return
    saved = {name: sys.modules.get(name) for name in _HIDDEN}
    for name in _HIDDEN:
        sys.modules[name] = None  # type: ignore[assignment]  # `import rich` raises ImportError
    try:
        for name in wanted:
            __import__(name)
    finally:
        for name, module in saved.items():
            if module is None:
                del sys.modules[name]
            else:
                sys.modules[name] = module


_import_without_pretty_printers("structlog", "httpx")
