"""Moved to :mod:`xxgk_lint.linter.reporters.html`; these names stay for
code that imports them from here."""

from __future__ import annotations

from .diagnostics import SEVERITIES
from .reporters.html import CSP, css, esc, family, js, render_file, render_html, render_results
from .reporters.html.findings import evidence as _evidence

__all__ = ["CSP", "SEVERITIES", "_evidence", "css", "esc", "family", "js", "render_file", "render_html", "render_results"]
