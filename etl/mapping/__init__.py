"""Mapping a form export onto an edition: propose, check, apply and write mapping files.

Public API:

- :func:`propose_file` / :func:`propose` → :class:`Proposal` (each column's field,
  confidence and runner-up, unknown answers of choice questions with their closest
  entry), :func:`mapping_file_text` (the proposal as a commented mapping file) and
  :func:`summary_fr`;
- :func:`load_edition_with_mapping` (an edition completed by a mapping file),
  :func:`read_mapping` (a mapping file checked against an edition) → :class:`MappingFile`;
- :func:`header_signature` (to find the mapping saved for an export with the same
  questions).

Module layout: ``similarity`` (questions and answers compared), ``shapes`` (what a
column's answers look like), ``proposal``, ``text`` (the proposal as a mapping file and a
summary), ``document`` (the file: read, check, apply, write). The format is documented
for organisers in ``docs/chargement.md``.
"""

from __future__ import annotations

from etl.mapping.document import (
    MappingFile,
    apply_mapping,
    load_edition_with_mapping,
    read_mapping,
    read_mapping_for,
)
from etl.mapping.proposal import (
    MIN_CONFIDENCE,
    Candidate,
    ColumnProposal,
    Proposal,
    UnknownAnswer,
    header_signature,
    likely_edition,
    propose,
    propose_file,
)
from etl.mapping.text import AUTO_ANSWER, mapping_file_text, summary_fr

__all__ = [
    "AUTO_ANSWER",
    "MIN_CONFIDENCE",
    "Candidate",
    "ColumnProposal",
    "MappingFile",
    "Proposal",
    "UnknownAnswer",
    "apply_mapping",
    "header_signature",
    "likely_edition",
    "load_edition_with_mapping",
    "mapping_file_text",
    "propose",
    "propose_file",
    "read_mapping",
    "read_mapping_for",
    "summary_fr",
]
