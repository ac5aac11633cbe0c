"""mkdocs hooks: serve the bundled Mermaid so the site never loads it from a CDN."""

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

MERMAID = Path(__file__).resolve().parent.parent / ".cache" / "docs-vendor" / "mermaid.min.js"
MERMAID_URI = "assets/javascripts/mermaid.min.js"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the Mermaid bundle fetched by scripts/docs; mkdocs-material uses it when loaded."""
    if not MERMAID.is_file():
        raise PluginError(f"{MERMAID} is missing: build the site with scripts/docs")
    files.append(File.generated(config, MERMAID_URI, abs_src_path=str(MERMAID)))
    return files
