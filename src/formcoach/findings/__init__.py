"""Findings: the exercise file's mistakes, depth, balance and tempo judged per rep, with evidence.

Pure numpy/scipy on the rep analysis's output. Start with :func:`detect`; the finding format is
documented in ``docs/findings.md``.
"""

from formcoach.findings.api import attach_findings, detect
from formcoach.findings.model import Check, Finding, Rule
from formcoach.findings.views import rules_from_exercise

__all__ = ["Check", "Finding", "Rule", "attach_findings", "detect", "rules_from_exercise"]
