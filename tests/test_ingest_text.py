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


FOOTER_BREAK = """\
Criterion                              Weighting
Quality - mobilisation and delivery    50%
Price                                  40%

Tender Document 3 - Evaluation Criteria        Page 7 of 12
OFFICIAL

Criterion                              Weighting
Social value - local supply chain      10%

Responses will be moderated by a panel of three evaluators.
"""


def test_table_runs_on_past_page_furniture_and_blank_lines() -> None:
    (table,) = text_tables(FOOTER_BREAK.splitlines())
    assert (table.first, table.last) == (0, 8)
    assert table.rows == (
        ("Criterion", "Weighting"),
        ("Quality - mobilisation and delivery", "50%"),
        ("Price", "40%"),
        ("Social value - local supply chain", "10%"),
    )
    tabs = ["Lot\tWeight", "Catering\t60", "ITT Part 3 - Evaluation\t\tPage 9 of 16", "Page 4"]
    assert text_tables([*tabs, "Cleaning\t40"])[0].rows[-1] == ("Cleaning", "40")


def test_blank_line_then_prose_or_another_table_ends_the_table() -> None:
    lines = ["Area                Weight", "Quality             70%", "Price               30%"]
    assert (
        text_tables([*lines, "", "Carbon reduction plans are scored under Quality."])[0].last == 2
    )
    scale = ["", "Score               Descriptor", "4                   Excellent evidence"]
    first, second = text_tables([*lines, *scale])
    assert first.last == 2 and second.rows[0] == ("Score", "Descriptor")


def test_leading_pipe_in_an_unframed_table_is_an_empty_first_cell() -> None:
    lines = [
        "Section | Question | Weighting",
        "Technical (80%) | T1 Curriculum | 30%",
        "| T2 Learner recruitment | 25%",
        "| T3 Social value and skills | 25%",
        "Commercial (20%) | C1 Price | 20%",
    ]
    (table,) = text_tables(lines)
    assert table.rows[2] == ("", "T2 Learner recruitment", "25%")
    framed = ["| Ref | Question | Max marks |", "|---|---|---|", "|  | Carbon plan | 10 |"]
    assert text_tables(framed)[0].rows[1] == ("", "Carbon plan", "10")
    assessment = Analyser(use_models=False).assess_bytes("\n".join(lines).encode(), "itt.txt")
    assert assessment.social_value_weight.effective_pct == 25.0


RUN_IN = """\
Section                 Question                                        Sub-weighting
Quality                 Q1 Service delivery                             45%
                        Q2 Staffing and TUPE                            25%
                        Q4 Social Value - policy outcome: fair work (MAC 1a) 15%
Price                   Q5 Price                                        15%
"""


def test_figure_run_into_a_long_label_goes_to_its_column() -> None:
    (table,) = text_tables(RUN_IN.splitlines())
    assert table.rows[3] == ("", "Q4 Social Value - policy outcome: fair work (MAC 1a)", "15%")
    assert table.rows[4] == ("Price", "Q5 Price", "15%")
    assessment = Analyser(use_models=False).assess_bytes(RUN_IN.encode(), "spec.txt")
    assert assessment.social_value_weight.effective_pct == 15.0


def test_trailing_figure_fills_an_empty_last_column_but_references_do_not() -> None:
    lines = [
        "Element        Question                          Weighting",
        "Quality        Q1 Delivery plan                  30 marks",
        "               Q2 Exit plan and handover to the incoming provider 20 marks",
        "               Lot 2",
        "Compliance                                       Pass/Fail",
    ]
    rows = text_tables(lines)[0].rows
    assert rows[2] == ("", "Q2 Exit plan and handover to the incoming provider", "20 marks")
    assert rows[3] == ("", "Lot 2", "")


def test_one_cell_per_line_tables() -> None:
    lines = [
        "Table 3 - Quality sub-criteria (weighting within Quality)",
        "Criterion",
        "Weighting",
        "Quality",
        "65%",
        "Price",
        "35%",
        "Clarification questions must be raised through the portal.",
    ]
    (table,) = text_tables(lines)
    assert (table.first, table.last) == (1, 6)
    assert table.rows == (("Criterion", "Weighting"), ("Quality", "65%"), ("Price", "35%"))
    lots = ["Lot", "Price", "Quality", "Social Value"]
    lots += ["Lot 1 - Grounds maintenance", "40%", "50%", "10%"]
    lots += ["Lot 2 - Arboriculture", "50%", "45%", "5%"]
    (table,) = text_tables(lots)
    assert table.rows[0] == ("Lot", "Price", "Quality", "Social Value")
    assert table.rows[2] == ("Lot 2 - Arboriculture", "50%", "45%", "5%")


def test_prose_and_lists_on_short_lines_are_not_tables() -> None:
    lines = [
        "Bidders must enclose the following",
        "Insurance certificates",
        "Two client references",
        "Tenders will be assessed on the",
        "basis of the most advantageous",
        "tender using",
        "Quality",
        "60",
        "Price",
        "40",
        "Key dates",
        "Clarification deadline",
        "14 March",
        "Tender return",
        "28 March",
    ]
    assert text_tables(lines) == []
