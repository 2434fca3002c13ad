"""Compliance article titles (articles.yaml), so an event page says what `art_30` means."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

_FILE = Path(__file__).with_name("articles.yaml")


@dataclass(frozen=True)
class Article:
    framework: str  # the key stored in events, e.g. "gdpr"
    framework_name: str  # e.g. "GDPR"
    id: str  # e.g. "art_30"
    label: str  # e.g. "Art. 30"
    title: str | None  # None when the id is not in articles.yaml


@cache
def _titles() -> dict[str, tuple[str, dict[str, str]]]:
    raw = yaml.safe_load(_FILE.read_text(encoding="utf-8")) or {}
    return {
        fw: (str(entry.get("name", fw)), {str(k): str(v) for k, v in entry["articles"].items()})
        for fw, entry in raw.items()
    }


def framework_name(framework: str) -> str:
    return _titles().get(framework, (framework, {}))[0]


def label(article_id: str) -> str:
    """`art_30` → `Art. 30`; SOC 2 criteria (`CC6.1`) stay as they are."""
    if article_id.startswith("art_"):
        return "Art. " + article_id[4:]
    return article_id


def articles_of(frameworks: dict[str, list[str]]) -> list[Article]:
    """The articles of an event's `frameworks`, with titles, in the event's order."""
    out: list[Article] = []
    for fw, ids in frameworks.items():
        name, titles = _titles().get(fw, (fw, {}))
        out.extend(Article(fw, name, a, label(a), titles.get(a)) for a in ids)
    return out
