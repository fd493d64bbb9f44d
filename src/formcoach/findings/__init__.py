"""Findings: the exercise file's mistakes, depth, balance and tempo judged per rep, with evidence.

Pure numpy on the rep analysis's output. Start with :func:`detect`; the finding format is
documented in ``docs/findings.md``. Names are imported on first use, so that the rep analysis's
result types can hold :class:`Finding` objects without an import cycle.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "attach_findings": "formcoach.findings.api",
    "detect": "formcoach.findings.api",
    "Check": "formcoach.findings.model",
    "Finding": "formcoach.findings.model",
    "Rule": "formcoach.findings.model",
    "rules_from_exercise": "formcoach.findings.views",
}

__all__ = ["Check", "Finding", "Rule", "attach_findings", "detect", "rules_from_exercise"]

if TYPE_CHECKING:
    from formcoach.findings.api import attach_findings, detect
    from formcoach.findings.model import Check, Finding, Rule
    from formcoach.findings.views import rules_from_exercise


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (PEP 562)."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'formcoach.findings' has no attribute {name!r}")
