"""brief.render: a `Brief` -> Markdown, one self-contained HTML page, or a PDF of that page.

The markup is in report/templates/brief.md.j2 and brief.html.j2 (with brief.css inlined); the
charts come from `report.charts`. Article text is untrusted: the HTML environment autoescapes,
the Markdown one escapes every character Markdown or HTML would read.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ...errors import ExportError
from .. import charts
from ..series import actor_graph
from .model import Brief

__all__ = ["render_html", "render_markdown", "render_pdf"]


#: what an autolink may keep of a URL unencoded (RFC 3986 reserved and unreserved characters)
URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&!])")


def _markdown_text(value: Any) -> str:
    """Untrusted text as inline Markdown: one line, every character Markdown or HTML reads escaped.
    Markup (the template's own macros, marked `safe`) is already escaped and passes as it is."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def _markdown_link(url: str) -> Markup:
    """An http(s) URL for a Markdown autolink <...>: spaces and angle brackets percent-encoded."""
    return Markup(quote(url, safe=URL_SAFE))


@functools.cache
def _markdown_env() -> Environment:
    env = Environment(
        loader=PackageLoader("khabar", "report/templates"),
        autoescape=False,
        finalize=_markdown_text,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["link"] = _markdown_link
    return env


def render_markdown(report: Brief) -> str:
    """The brief as Markdown: citations as [n] after each line, quoted under "Sources".

    report (Brief): from `brief`.
    RETURNS (str): the Markdown text.
    """
    return _markdown_env().get_template("brief.md.j2").render(brief=report)


def render_html(report: Brief) -> str:
    """The brief as one self-contained HTML page: inline CSS and SVG charts, no scripts, no
    external requests; each citation links to its quote in the Sources appendix
    (#a-<article>-<start>-<end>).

    report (Brief): from `brief`.
    RETURNS (str): the HTML document.
    """
    graph = actor_graph(report.events, report.actors)
    figures = [
        charts.events_per_day(report.events),
        charts.killed_per_day(report.events),
        charts.event_map(report.events),
        charts.actor_network(graph),
    ]
    page = charts.templates().get_template("brief.html.j2")
    # the charts' own templates escaped every label already
    return page.render(brief=report, charts=[Markup(svg) for svg in figures])


def render_pdf(report: Brief, path: Path) -> None:
    """Print the HTML brief to a PDF file with WeasyPrint.

    report (Brief): from `brief`.
    path (Path): the PDF file to write.
    RAISES ExportError: WeasyPrint or its system libraries (Pango) are not installed, or the file
        cannot be written.
    """
    try:
        from weasyprint import HTML  # heavy, optional: imported only to print
    except (ImportError, OSError) as exc:
        message = f"PDF needs WeasyPrint and its Pango libraries (pip install weasyprint): {exc}"
        raise ExportError(message, source=str(path)) from exc
    pdf = HTML(string=render_html(report)).write_pdf()
    # written beside, then renamed: a reader never finds half a PDF
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(pdf)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ExportError(f"cannot write the PDF: {exc.strerror or exc}", source=str(path)) from exc
