"""What every peerdesk PDF shares: page size and styles, the footer with the report's code and
fingerprint, the metadata, deterministic output and writing the file atomically.

Deterministic: reportlab's `invariant` mode fixes the creation date and document id, so the same
content always gives the same bytes. That is what lets `peerdesk report verify` compare a file
with the hash recorded when it was exported.
"""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from peerdesk.db.outputs import write_output
from peerdesk.db.paths import DataFolder

Progress = Callable[[str, int, int], None]
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
ACCENT = colors.HexColor("#2c6e6a")
RULE = colors.HexColor("#cbd2d9")
SHADE = colors.HexColor("#eef4f3")
MARGIN = 18 * mm


@dataclass(frozen=True)
class DocumentInfo:
    """Metadata and footer text. `author` is the organisation, never a person."""

    title: str
    author: str
    subject: str
    report_code: str
    fingerprint: str
    footer: str


def styles() -> StyleSheet1:
    sheet = getSampleStyleSheet()
    base = sheet["BodyText"]
    base.fontName, base.fontSize, base.leading, base.textColor = "Helvetica", 9.5, 13, INK
    sheet.add(ParagraphStyle("Cover", parent=base, fontSize=24, leading=29, spaceAfter=4,
                             fontName="Helvetica-Bold", textColor=ACCENT))  # fmt: skip
    sheet.add(ParagraphStyle("CoverSub", parent=base, fontSize=14, leading=18, spaceAfter=10))
    sheet.add(ParagraphStyle("Section", parent=base, fontSize=15, leading=19, spaceBefore=8,
                             spaceAfter=6, fontName="Helvetica-Bold",
                             textColor=ACCENT))  # fmt: skip
    sheet.add(ParagraphStyle("TableTitle", parent=base, fontSize=10.5, leading=14,
                             spaceBefore=8, spaceAfter=3, fontName="Helvetica-Bold"))  # fmt: skip
    sheet.add(ParagraphStyle("Method", parent=base, fontSize=8, leading=10.5, textColor=MUTED,
                             spaceBefore=2, spaceAfter=6))  # fmt: skip
    sheet.add(ParagraphStyle("Cell", parent=base, fontSize=8.5, leading=10.5))
    sheet.add(ParagraphStyle("Number", parent=base, fontSize=8.5, leading=10.5, alignment=TA_RIGHT))
    sheet.add(ParagraphStyle("Big", parent=base, fontSize=16, leading=19,
                             fontName="Helvetica-Bold", textColor=ACCENT))  # fmt: skip
    return sheet


def text(value: str) -> str:
    """Plain text made safe for a reportlab Paragraph (which reads a little XML)."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def paragraphs(value: str, style: ParagraphStyle) -> list[Flowable]:
    """Typed text as paragraphs: a blank line starts a new one, a line break stays."""
    parts = [p.strip() for p in value.replace("\r\n", "\n").split("\n\n")]
    return [Paragraph(text(p).replace("\n", "<br/>"), style) for p in parts if p]


def grid(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    sheet: StyleSheet1,
    total_last: bool = False,
) -> Table:
    """A table of figures: first column words, the rest numbers, a shaded heading."""

    def cell(value: str, column: int, bold: bool = False) -> Paragraph:
        style = sheet["Cell"] if column == 0 else sheet["Number"]
        body = text(value)
        return Paragraph(f"<b>{body}</b>" if bold else body, style)

    data = [[cell(h, i, True) for i, h in enumerate(header)]]
    for n, row in enumerate(rows):
        bold = total_last and n == len(rows) - 1
        data.append([cell(v, i, bold) for i, v in enumerate(row)])
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    commands: list[Any] = [
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if total_last:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.6, INK))
    table.setStyle(TableStyle(commands))
    return table


def build(story: list[Flowable], info: DocumentInfo, progress: Progress | None = None) -> bytes:
    """The PDF's bytes: the same story and info always give the same bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 8 * mm,
        title=info.title,
        author=info.author,
        subject=info.subject,
        creator="peerdesk",
        producer="peerdesk (reportlab)",
        keywords=[f"report {info.report_code}", f"figures sha256 {info.fingerprint}"],
        invariant=1,
    )
    pages = [0]

    def footer(canvas: Canvas, document: Any) -> None:
        pages[0] += 1
        if progress is not None:
            progress("Laying out the pages", pages[0], 0)
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, MARGIN + 5 * mm, A4[0] - MARGIN, MARGIN + 5 * mm)
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN + 1.5 * mm, info.footer)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN + 1.5 * mm, f"Page {document.page}")
        canvas.drawString(
            MARGIN,
            MARGIN - 2 * mm,
            f"Report {info.report_code} · figures SHA-256 {info.fingerprint}",
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


PDF = (".pdf",)


def write_pdf(out: Path, data: bytes, folder: DataFolder, overwrite: bool) -> None:
    """Write atomically, after the output-file check (a plain sentence if it fails)."""
    write_output(out, data, folder, overwrite=overwrite, suffixes=PDF)
