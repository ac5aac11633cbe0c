"""Rules of the code's shape that import-linter's contracts cannot say."""

import grimp


def test_repositories_are_used_only_by_their_own_domain() -> None:
    graph = grimp.build_graph("medianest")
    crossings = []
    for module in sorted(graph.modules):
        if not module.endswith(".repository"):
            continue
        domain = module.removesuffix(".repository")
        for importer in graph.find_modules_that_directly_import(module):
            if importer != domain and not importer.startswith(f"{domain}."):
                crossings.append(f"{importer} -> {module}")
    assert not crossings, f"read another domain through its service instead: {crossings}"
