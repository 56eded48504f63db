"""The plan's texts are the document's, verbatim: checked against the seed itself."""
import csv
import re

import pytest

from tests.conftest import ROOT, SEED_DOC

pytestmark = pytest.mark.skipif(not SEED_DOC.exists(), reason="shared/seed is not beside the repository")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


def test_every_target_text_is_in_the_document():
    doc = _norm(SEED_DOC.read_text(encoding="utf-8"))
    with open(ROOT / "data/lucca/target.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 65
    missing = [r["codice"] for r in rows if _norm(r["testo"]) not in doc]
    assert missing == []


def test_every_evidence_text_is_in_the_document():
    doc = _norm(SEED_DOC.read_text(encoding="utf-8"))
    with open(ROOT / "data/lucca/evidenze.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 30
    for r in rows:
        for paragraph in r["testo"].split("\n\n"):
            assert _norm(paragraph) in doc, (r["target"], paragraph[:80])


def test_project_titles_are_in_the_document():
    doc = _norm(SEED_DOC.read_text(encoding="utf-8"))
    with open(ROOT / "data/lucca/progetti.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            assert f"Progetto {r['codice']} {_norm(r['titolo'])}" in doc
