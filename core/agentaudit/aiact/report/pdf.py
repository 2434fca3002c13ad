"""The reports as PDF, with fpdf2 (pure Python, no system library): the same sections and the
same charts as the HTML (the SVG is drawn by fpdf2). Text stays text, so it can be searched,
copied and checked by a machine. A Unicode font (DejaVu Sans) is used where the system has it;
otherwise the PDF core font, with characters outside Latin-1 replaced.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agentaudit.aiact.report.data import FriaData, ReportData
from agentaudit.aiact.report.html import (
    FRAMEWORK_NAMES,
    day,
    label,
    policy_summary,
    report_charts,
    when,
)
from agentaudit.models import Event

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)
# what XML 1.0 cannot carry (fpdf2 parses the charts' SVG as XML); agent and action names are
# callers' text and may hold control characters
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CHECK_TEXT = {True: "pass", False: "FAIL", None: "n/a"}
# A table row must fit on one page (fpdf2 refuses a taller one): long cells are cut, and say so.
MAX_CELL = 1200


def _font_files() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    return None


def _fpdf() -> Any:
    try:
        from fpdf import FPDF
    except ImportError as exc:  # the `reports` extra
        raise RuntimeError("PDF reports need fpdf2: pip install 'agentaudit[reports]'") from exc
    return FPDF


class Doc:
    """A thin layer over fpdf2 for the report's few shapes: headings, text, key-value lists,
    tables and charts."""

    def __init__(self, title: str, subtitle: str) -> None:
        fpdf = _fpdf()
        outer = self

        class _PDF(fpdf):  # type: ignore[misc, valid-type]
            def footer(self) -> None:
                self.set_y(-12)
                outer._font(7)
                self.set_text_color(120)
                self.cell(0, 8, outer.text(f"{title} · page {self.page_no()}"), align="C")
                self.set_text_color(0)

        self.pdf = _PDF(format="A4")
        self.pdf.set_title(title)
        self.pdf.set_author("AgentAudit")
        self.pdf.set_creator("AgentAudit")
        self.pdf.set_auto_page_break(True, margin=16)
        self.pdf.set_margins(14, 14, 14)
        fonts = _font_files()
        self.unicode = fonts is not None
        if fonts is not None:
            self.pdf.add_font("DejaVu", "", str(fonts[0]))
            self.pdf.add_font("DejaVu", "B", str(fonts[1]))
            self.family = "DejaVu"
        else:
            self.family = "Helvetica"
        self.pdf.add_page()
        self._font(18, "B")
        self.pdf.multi_cell(0, 9, self.text(title), new_x="LMARGIN", new_y="NEXT")
        self._font(10)
        self.pdf.multi_cell(0, 5, self.text(subtitle), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def text(self, value: object) -> str:
        s = _CONTROL.sub("?", "" if value is None else str(value))
        return s if self.unicode else s.encode("latin-1", "replace").decode("latin-1")

    def _font(self, size: float, style: str = "") -> None:
        self.pdf.set_font(self.family, style, size)

    def h2(self, title: str) -> None:
        if self.pdf.get_y() > self.pdf.h - 50:
            self.pdf.add_page()
        self.pdf.ln(3)
        self._font(14, "B")
        self.pdf.multi_cell(0, 7, self.text(title), new_x="LMARGIN", new_y="NEXT")
        self.pdf.line(
            self.pdf.l_margin, self.pdf.get_y(), self.pdf.w - self.pdf.r_margin, self.pdf.get_y()
        )
        self.pdf.ln(2)

    def h3(self, title: str, need: float = 40) -> None:
        """A heading kept on one page with the `need` millimetres that follow it."""
        if self.pdf.get_y() > self.pdf.h - need:
            self.pdf.add_page()
        self.pdf.ln(1)
        self._font(11, "B")
        self.pdf.multi_cell(0, 6, self.text(title), new_x="LMARGIN", new_y="NEXT")

    def para(self, value: str, size: float = 9, muted: bool = False) -> None:
        self._font(size)
        if muted:
            self.pdf.set_text_color(100)
        self.pdf.multi_cell(0, 4.6, self.text(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_text_color(0)
        self.pdf.ln(1)

    def bullets(self, items: Sequence[str]) -> None:
        self._font(9)
        for item in items:
            self.pdf.multi_cell(
                0,
                4.6,
                self.text(f"• {item}" if self.unicode else f"- {item}"),
                new_x="LMARGIN",
                new_y="NEXT",
            )
        self.pdf.ln(1)

    def kv(self, pairs: Sequence[tuple[str, object]]) -> None:
        self.table(["", ""], [[k, v] for k, v in pairs], (45, 137), headings=False)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths: Sequence[float] | None = None,
        *,
        headings: bool = True,
        size: float = 8,
    ) -> None:
        if not rows:
            self.para("None.", muted=True)
            return
        self._font(size)
        with self.pdf.table(
            col_widths=tuple(widths) if widths else None,
            first_row_as_headings=headings,
            line_height=4.2,
            text_align="LEFT",
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            if headings:
                table.row([self.text(h) for h in headers])
            for r in rows:
                table.row([self.text(_cut(c)) for c in r])
        self.pdf.ln(2)

    def chart(self, svg: object, width: float | None = None) -> None:
        markup = _NOT_XML.sub("?", _TITLE.sub("", str(svg)))
        if not markup.startswith("<svg"):  # "no data" paragraph of an empty chart
            self.para(re.sub(r"<[^>]+>", "", markup), muted=True)
            return
        w = width or self.pdf.epw
        if self.pdf.get_y() > self.pdf.h - 16 - w * 0.36:
            self.pdf.add_page()
        self.pdf.image(io.BytesIO(markup.encode("utf-8")), w=w)
        self.pdf.ln(2)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _cut(value: object) -> str:
    text = "" if value is None else str(value)
    if len(text) <= MAX_CELL:
        return text
    return text[:MAX_CELL] + f"… ({len(text) - MAX_CELL:,} more characters)"


def _events(doc: Doc, events: Sequence[Event]) -> None:
    doc.table(
        ["Time (UTC)", "Agent", "Action", "Risk", "Decision", "Reason"],
        [
            [
                when(e.created_at),
                e.agent_id,
                e.action,
                e.risk_level.value,
                e.decision.value,
                e.reason or "",
            ]
            for e in events
        ],
        (27, 28, 30, 15, 16, 66),
        size=7,
    )


def _articles(doc: Doc, articles: dict[str, dict[str, int]], titles: dict) -> None:
    doc.table(
        ["Framework", "Article", "Title", "Events"],
        [
            [FRAMEWORK_NAMES.get(fw, fw), label(a), titles.get(fw, {}).get(a, ""), f"{n:,}"]
            for fw, arts in articles.items()
            for a, n in arts.items()
        ],
        (25, 22, 115, 20),
    )


def render_report_pdf(d: ReportData) -> bytes:
    s = d.status
    doc = Doc(
        "EU AI Act compliance report",
        f"{d.org_name} · period {when(d.start)} to {when(d.end)} ({d.period_days} days) · "
        f"generated {when(d.generated_at)}. From the register of AI systems and the audit trail "
        "of their agents' tool calls (AgentAudit). Charts count whole UTC days.",
    )
    charts = report_charts(d)

    doc.h2("1. Summary")
    doc.para(
        f"Score: {s.score} / 100 checks passed · {s.summary['total_systems']} active AI systems, "
        f"{s.summary['high_risk']} high-risk, {s.summary['prohibited_systems']} prohibited · "
        f"{d.stats.total_events:,} tool calls recorded, "
        f"{d.stats.by_decision.get('block', 0):,} blocked.",
        size=10,
    )
    doc.table(
        ["Check", "Article", "Result", "What it means"],
        [
            [k, s.check_articles[k], CHECK_TEXT[v], s.check_descriptions[k]]
            for k, v in s.checks.items()
        ],
        (34, 30, 14, 104),
    )
    doc.h3("What to do next")
    if s.next_steps:
        doc.bullets(
            [
                (f"{n.system}: " if n.system else "") + f"{n.action} ({n.article}, {n.check})"
                for n in s.next_steps
            ]
        )
    else:
        doc.para("Nothing: every check passes.")

    doc.h2("2. Register of AI systems")
    doc.table(
        ["System", "Vendor", "Role", "Class", "Annex III", "FRIA", "Contract", "Agents"],
        [
            [
                x.system.name + ("" if x.system.is_active else " (inactive)"),
                x.system.vendor or "—",
                x.system.role.value,
                x.system.risk_classification.value,
                x.annex,
                x.system.fria_status.value.replace("_", " "),
                ("AI annex" if x.system.contract_has_ai_annex else "no AI annex")
                + ("; obligations documented" if x.system.provider_obligations_documented else ""),
                ", ".join(x.agents) or "none linked",
            ]
            for x in d.systems
        ],
        (26, 18, 16, 17, 30, 18, 27, 30),
        size=7,
    )

    doc.h2("3. Activity in the period")
    doc.para(
        f"{d.stats.total_events:,} tool calls · {d.stats.by_decision.get('block', 0):,} blocked · "
        f"{d.stats.by_risk_level.get('critical', 0):,} critical · {d.stats.pii_events:,} with "
        f"personal data · {len(d.stats.by_agent)} agents"
    )
    doc.h3("Tool calls per day by risk level", need=90)
    doc.chart(charts["risk"])
    doc.h3("Blocked calls per day", need=90)
    doc.chart(charts["blocked"])
    if d.unlinked_agents:
        doc.h3("Agents not linked to any registered system")
        doc.table(["Agent", "Calls"], [[a, f"{n:,}"] for a, n in d.unlinked_agents[:30]], (150, 32))

    doc.h2("4. Per system")
    for x in d.systems:
        y = x.system
        doc.h3(f"{y.name} — {y.risk_classification.value}")
        doc.para(
            (y.description or "No description.")
            + (f" Use case: {y.use_case}" if y.use_case else ""),
            muted=True,
        )
        if y.classification_rationale:
            doc.para(f"Classification rationale: {y.classification_rationale}")
        if x.status is not None:
            doc.para(
                "Open issues: " + "; ".join(x.status.issues)
                if x.status.issues
                else "No open issue."
            )
        doc.para(
            f"{x.stats.total_events:,} calls · {x.stats.blocked_events:,} blocked · "
            f"{x.stats.by_risk_level.get('critical', 0):,} critical · {x.stats.pii_events:,} with "
            f"personal data · last call "
            + (when(x.stats.last_event_at) if x.stats.last_event_at else "never")
        )
        doc.chart(charts["systems"][y.id])
        doc.para(
            "Top actions: "
            + (", ".join(f"{a} {n:,}" for a, n in list(x.stats.by_action.items())[:10]) or "none")
        )
        doc.para(
            "Personal data types: "
            + (", ".join(f"{t} {n:,}" for t, n in x.pii_types.items()) or "none")
        )
        doc.para("Articles touched:")
        _articles(doc, x.articles, d.article_titles)
        doc.para(f"Blocked calls (latest {len(x.blocked)}):")
        _events(doc, x.blocked)
        doc.para(f"Critical calls (latest {len(x.critical)}):")
        _events(doc, x.critical)

    doc.h2("5. Blocked and critical calls")
    doc.h3(f"Blocked (latest {len(d.blocked)})")
    _events(doc, d.blocked)
    doc.h3(f"Critical (latest {len(d.critical)})")
    _events(doc, d.critical)

    doc.h2("6. Articles touched")
    _articles(doc, d.articles, d.article_titles)

    doc.h2("7. Policy and human oversight (Art. 14, Art. 26(2))")
    doc.kv(
        [
            ("Rules that stop a call", ", ".join(d.oversight) or "none: nothing is ever blocked"),
            ("Frameworks mapped", ", ".join(d.policy.frameworks.enabled())),
            ("Stored from risk level", f"{d.policy.store_min_risk.value} (blocked calls always)"),
            ("Personal data stored", "masked" if d.policy.redact_pii else "as sent"),
        ]
    )
    doc.h3("Policy history")
    if d.policy_at_start is not None:
        doc.para(
            f"In force at the start of the period: set {when(d.policy_at_start.changed_at)} "
            f"through {d.policy_at_start.source}."
        )
    if d.policy_history:
        doc.table(
            ["Changed (UTC)", "Through", "Policy"],
            [[when(c.changed_at), c.source, policy_summary(c.policy)] for c in d.policy_history],
            (30, 22, 130),
        )
    else:
        doc.para("No change to the policy in this period.", muted=True)

    doc.h2("8. Record-keeping (Art. 12, Art. 19, Art. 26(6))")
    chain = s.summary.get("chain")
    doc.kv(
        [
            (
                "Retention",
                (
                    "payloads kept without limit"
                    if d.policy.retention_days is None
                    else f"{d.policy.retention_days} days"
                )
                + f" — {CHECK_TEXT[s.checks['retention_compliant']]} (at least six months)",
            ),
            ("Hash chain", chain["message"] if chain else "not verified"),
            (
                "Signed checkpoint",
                str(d.checkpoint)
                if d.checkpoint
                else "none: this store keeps no signed "
                "checkpoints; the chain above is verified against the store itself",
            ),
            (
                "Logging per system",
                "; ".join(
                    f"{p.name}: {p.events_recent:,} calls in the last {s.logging_days} days"
                    for p in s.systems
                )
                or "—",
            ),
        ]
    )

    doc.h2("9. Deadlines")
    doc.table(
        ["Date", "System", "What", "Days left"],
        [
            [day(x.date), x.system or "—", x.type.replace("_", " "), str(x.days_left)]
            for x in s.deadlines
        ],
        (28, 60, 60, 34),
    )
    doc.h3("When the AI Act applies (Art. 113)")
    doc.table(
        ["Date", "What"], [[m["date"], m["what"]] for m in s.milestones], (28, 154), headings=False
    )

    doc.h2("10. How this report was made")
    doc.para(
        "Systems, classifications, contracts and FRIA states come from the register as the "
        "organisation keeps it. Activity comes from the audit trail: each event is a tool call "
        "of an agent, classified (risk, personal data, articles) and decided (allow or block) "
        "when it was made, stored in a hash chain. An event belongs to a system when the "
        "system's agent_id_patterns match its agent. The checks and the article each rests on "
        "are explained in docs/ai-act.md."
    )
    return doc.output()


TODO = "To complete by the deployer: "


def render_fria_pdf(f: FriaData) -> bytes:
    y = f.system
    doc = Doc(
        "Fundamental-rights impact assessment",
        f"{y.name} · {f.org_name} · AI Act Art. 27 · generated {when(f.generated_at)}. "
        "Pre-filled from the register and the audit trail; the parts marked 'To complete' can "
        "only be written by the deployer. Notify the market surveillance authority of the "
        "results (Art. 27(3)).",
    )
    doc.h2("The system")
    doc.kv(
        [
            ("Name", y.name),
            ("Vendor / provider", y.vendor or "—"),
            ("Our role", y.role.value),
            (
                "Classification",
                f"{y.risk_classification.value} {y.classification_rationale}".strip(),
            ),
            ("Annex III", f.annex),
            ("Owner", y.owner or "—"),
            (
                "FRIA status",
                y.fria_status.value.replace("_", " ")
                + (f", completed {day(y.fria_completed_at)}" if y.fria_completed_at else "")
                + (f", next review {day(y.fria_next_review)}" if y.fria_next_review else ""),
            ),
            ("Agents", ", ".join(f.agents) or "none linked"),
        ]
    )
    doc.h2("(a) The deployer's processes in which the system is used")
    if y.use_case or y.description:
        doc.para(y.use_case or y.description)
    else:
        doc.para(TODO + "describe the process and the intended purpose.")
    doc.table(
        ["Action", "Calls"],
        [[a, f"{n:,}"] for a, n in list(f.stats_all.by_action.items())[:12]],
        (150, 32),
    )
    doc.h2("(b) Period and frequency of use")
    doc.kv(
        [
            (
                "First recorded call",
                when(f.stats_all.first_event_at) if f.stats_all.first_event_at else "—",
            ),
            (
                "Last recorded call",
                when(f.stats_all.last_event_at) if f.stats_all.last_event_at else "—",
            ),
            ("Calls, all time", f"{f.stats_all.total_events:,}"),
            (
                f"Calls, last {f.recent_days} days",
                f"{f.stats_recent.total_events:,} (about {f.usage_per_day} a day)",
            ),
        ]
    )
    doc.para(TODO + "the intended period of use.")
    doc.h2("(c) Categories of natural persons and groups likely to be affected")
    doc.table(
        ["Personal data type", "Calls"],
        [
            [t + (" (GDPR Art. 9)" if t in f.special_categories else ""), f"{n:,}"]
            for t, n in f.pii_types.items()
        ],
        (150, 32),
    )
    doc.para(TODO + "who these people are (customers, applicants, employees, patients, minors…).")
    doc.h2("(d) Specific risks of harm to those persons")
    items = [
        f"Classification suggested from its metadata and calls: "
        f"{f.suggestion.suggested_classification.value} — {f.suggestion.rationale}"
    ]
    if f.special_categories:
        items.append(
            f"Special categories of personal data (GDPR Art. 9) in {sum(f.special_categories.values())}"
            f" calls: {', '.join(f.special_categories)}."
        )
    if f.automated_decisions:
        items.append(
            f"Automated decisions about people (GDPR Art. 22) in {f.automated_decisions} calls."
        )
    items.append(
        "Risk levels of its calls (all time): "
        + (", ".join(f"{r} {n:,}" for r, n in f.stats_all.by_risk_level.items()) or "none")
    )
    doc.bullets(items)
    doc.h3("Critical calls (latest)")
    _events(doc, f.critical)
    doc.para(
        TODO + "the risks to fundamental rights (non-discrimination, privacy, dignity, access to "
        "services…) and their likelihood, taking into account the provider's information (Art. 13)."
    )
    doc.h2("(e) Human oversight measures (Art. 14, Art. 26(2))")
    doc.kv(
        [
            (
                "Policy rules that stop a call",
                ", ".join(f.oversight) or "none: nothing is ever blocked",
            ),
            ("Calls blocked (all time)", f"{f.stats_all.blocked_events:,}"),
        ]
    )
    doc.h3("Blocked calls (latest)")
    _events(doc, f.blocked)
    doc.para(
        TODO
        + "who oversees the system, their competence and authority, and how they can intervene."
    )
    doc.h2("(f) Measures if the risks materialise")
    doc.para(
        "Every call is recorded in a verifiable hash chain, so any incident can be traced to the "
        "call, agent and decision."
    )
    doc.para(
        TODO + "internal governance, complaint mechanisms for affected persons, and remediation."
    )
    doc.h2("Articles touched by its calls")
    _articles(doc, f.articles, f.article_titles)
    return doc.output()
