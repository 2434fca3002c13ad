"""The reports as self-contained HTML: one file, its stylesheet inline, charts as inline SVG
(the dashboard's own chart code); nothing is fetched when it is opened."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from agentaudit.aiact.report.data import RISK_LEVELS, FriaData, ReportData
from agentaudit.models import Policy
from agentaudit.server.dashboard import charts

TEMPLATES = Path(__file__).with_name("templates")
FRAMEWORK_NAMES = {"gdpr": "GDPR", "ai_act": "EU AI Act", "soc2": "SOC 2"}
TOP_N = 10


def when(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def day(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d")


def label(article: str) -> str:
    return "Art. " + article[4:] if article.startswith("art_") else article


def policy_summary(policy_json: str) -> str:
    """What a stored policy version sets differently from the defaults, in one line."""
    try:
        policy = Policy.model_validate_json(policy_json)
    except ValueError:
        return policy_json
    default = Policy().model_dump(mode="json")
    changed = {k: v for k, v in policy.model_dump(mode="json").items() if default.get(k) != v}
    if not changed:
        return "defaults"
    return "; ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in changed.items())


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(when=when, day=day, policy_summary=policy_summary)
    env.globals.update(label=label, fw_names=FRAMEWORK_NAMES)
    return env


def css() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def risk_chart(days: list[str], by_risk: dict[str, list[int]], title: str) -> Any:
    series = [
        charts.Series(level, colour, by_risk.get(level, [0] * len(days)))
        for level, colour in charts.RISK_COLOURS.items()
    ]
    return charts.stacked_bars(days, series, title)


def report_charts(d: ReportData) -> dict[str, Any]:
    """Every chart of the AI Act report, as SVG markup (HTML and PDF draw the same ones)."""
    s = d.series
    return {
        "risk": risk_chart(s.days, s.by_risk, "Tool calls per day by risk level"),
        "blocked": charts.stacked_bars(
            s.days, [charts.Series("blocked", charts.BLOCK_COLOUR, s.blocked)], "Blocked per day"
        ),
        "systems": {
            x.system.id: risk_chart(
                x.series.days, x.series.by_risk, f"{x.system.name}: calls per day by risk level"
            )
            for x in d.systems
        },
        "system_actions": {
            x.system.id: charts.hbars(
                list(x.stats.by_action.items())[:TOP_N], "Top actions", width=460, label_w=170
            )
            for x in d.systems
        },
        "system_pii": {
            x.system.id: charts.hbars(
                list(x.pii_types.items())[:TOP_N], "PII types", "#7b4fa3", width=460, label_w=170
            )
            for x in d.systems
        },
    }


def render_report_html(d: ReportData) -> str:
    return (
        environment()
        .get_template("ai_act_report.html")
        .render(d=d, s=d.status, charts=report_charts(d), css=css(), risk_levels=RISK_LEVELS)
    )


def render_fria_html(f: FriaData) -> str:
    return environment().get_template("fria.html").render(f=f, css=css())
