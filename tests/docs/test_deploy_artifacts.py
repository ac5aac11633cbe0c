"""The shipped monitoring examples name only metrics that /metrics really exposes."""

import re
from pathlib import Path

import httpx
import yaml
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[2]
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
MONITORING_PAGE = ROOT / "docs" / "deployment" / "monitoring.md"
OUR_METRIC = re.compile(r"\b((?:medianest|process|python)_[a-z_]+)\b")


async def _exposed_metric_names(client: httpx.AsyncClient) -> set[str]:
    await client.get("/api/v1/health")  # a request and database statements to count
    response = await client.get("/metrics")
    assert response.status_code == 200
    names = set()
    for family in text_string_to_metric_families(response.text):
        names.add(family.name)
        names.update(sample.name for sample in family.samples)
    return names


def _alert_expressions() -> list[str]:
    rules = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


async def test_alert_rules_use_exposed_metrics(app_client: httpx.AsyncClient) -> None:
    exposed = await _exposed_metric_names(app_client)
    used = {name for expr in _alert_expressions() for name in OUR_METRIC.findall(expr)}
    assert used, "the alert rules should watch MediaNest's own metrics"
    assert used <= exposed, f"not exposed by /metrics: {sorted(used - exposed)}"


async def test_the_monitoring_page_lists_exposed_metrics(app_client: httpx.AsyncClient) -> None:
    exposed = await _exposed_metric_names(app_client)
    table = MONITORING_PAGE.read_text(encoding="utf-8").split("### Example alert rules")[0]
    listed = set(OUR_METRIC.findall(table))
    histograms = {name for name in listed if f"{name}_bucket" in exposed}
    assert listed - histograms <= exposed, sorted(listed - histograms - exposed)
