"""The AI Act reports: the compliance report of a period and the FRIA of one system, as a
self-contained HTML file or a PDF (fpdf2, the `reports` extra). See docs/ai-act.md."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from agentaudit.service import AuditService

Format = Literal["html", "pdf"]


def render_report(
    audit: AuditService,
    org_id: str,
    start: datetime,
    end: datetime,
    fmt: Format | str = "pdf",
    *,
    org_name: str | None = None,
) -> bytes:
    """The AI Act compliance report of [start, end) as HTML (UTF-8) or PDF bytes."""
    from agentaudit.aiact.report.data import gather

    data = gather(audit, org_id, start, end, org_name=org_name)
    if fmt == "html":
        from agentaudit.aiact.report.html import render_report_html

        return render_report_html(data).encode("utf-8")
    if fmt == "pdf":
        from agentaudit.aiact.report.pdf import render_report_pdf

        return render_report_pdf(data)
    raise ValueError(f"format must be html or pdf, not {fmt!r}")


def render_fria(
    audit: AuditService, org_id: str, system_id: str, fmt: Format | str = "pdf"
) -> bytes:
    """The pre-filled fundamental-rights impact assessment of one system."""
    from agentaudit.aiact.report.data import gather_fria

    data = gather_fria(audit, org_id, system_id)
    if fmt == "html":
        from agentaudit.aiact.report.html import render_fria_html

        return render_fria_html(data).encode("utf-8")
    if fmt == "pdf":
        from agentaudit.aiact.report.pdf import render_fria_pdf

        return render_fria_pdf(data)
    raise ValueError(f"format must be html or pdf, not {fmt!r}")
