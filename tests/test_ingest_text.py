"""Plain-text tenders: tables written with pipes, tabs or aligned columns are read as tables."""

from __future__ import annotations

from analyser.ingest.layout import text_tables
from analyser.pipeline import Analyser

ALIGNED = """\
5.1 Award criteria

Element                 Sub-element                       Weighting
Technical               Service model and staffing        35%
                        Wider community benefits          15%
Cost                                                      50%
Total                                                     100%
"""


def test_aligned_columns_keep_blank_cells_in_place() -> None:
    (table,) = text_tables(ALIGNED.splitlines())
    assert table.rows[0] == ("Element", "Sub-element", "Weighting")
    assert table.rows[2] == ("", "Wider community benefits", "15%")
    assert table.rows[3] == ("Cost", "", "50%")


def test_pipe_and_tab_tables() -> None:
    pipes = ["| Ref | Question | Max marks |", "|---|---|---|", "| B4 | Social value plan | 60 |"]
    (table,) = text_tables(pipes)
    assert table.rows == (("Ref", "Question", "Max marks"), ("B4", "Social value plan", "60"))
    tabs = ["Area\tWeight", "Quality\t70", "Price\t30"]
    assert text_tables(tabs)[0].rows[2] == ("Price", "30")


def test_prose_is_not_a_table() -> None:
    prose = [
        "The contract will run for three years with an option to extend.",
        "Bidders must submit their response by noon on 4 March.",
    ]
    assert text_tables(prose) == []


def test_text_tender_weight_from_an_aligned_table() -> None:
    assessment = Analyser(use_models=False).assess_bytes(ALIGNED.encode(), "award.txt")
    assert assessment.social_value_weight.effective_pct == 15.0
    assert assessment.social_value_weight.evidence[0].text.startswith("Wider community benefits")
