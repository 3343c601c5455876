"""The weigh chain, function by function, on wording written for these tests (not from the corpus)."""

from __future__ import annotations

import pytest

from analyser.types import Assessment, Clause, Page, Table, Tender
from analyser.weigh import pick_social_value, weigh, whole_or_parts
from analyser.weigh.numbers import normalise_number_words, words_to_number
from analyser.weigh.prose import prose_statements, total_marks
from analyser.weigh.resolve import resolve
from analyser.weigh.tables import table_statements


def tender_of(*texts: str, tables: tuple[Table, ...] = ()) -> tuple[Tender, list[Clause]]:
    page = Page(number=1, text="\n".join(texts), tables=tables)
    tender = Tender(name="t.txt", sha256="0" * 64, format="text", pages=(page,))
    clauses = [Clause(id=f"c{i}", page=1, text=t) for i, t in enumerate(texts, 1)]
    return tender, clauses


def sv_weight(*texts: str, tables: tuple[Table, ...] = ()) -> tuple[float | None, str]:
    tender, clauses = tender_of(*texts, tables=tables)
    result = weigh(tender, clauses, ["c1"])
    return result.social_value.effective_pct, result.social_value.basis


@pytest.mark.parametrize(
    ("words", "number"),
    [
        ("ten", 10),
        ("twenty-five", 25),
        ("seventy five", 75),
        ("one hundred", 100),
        ("banana", None),
    ],
)
def test_words_to_number(words: str, number: float | None) -> None:
    assert words_to_number(words) == number


def test_number_words_become_percentages() -> None:
    assert normalise_number_words("worth fifteen per cent of the score") == "worth 15% of the score"
    assert normalise_number_words("twelve (12) percent") == "12%"
    assert normalise_number_words("8 per cent") == "8%"
    assert normalise_number_words("twelve and a half per cent") == "12.5%"
    assert normalise_number_words("sixty-two and a half per cent (62.5%)") == "62.5%"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Community benefit proposals carry 15% of the overall marks.", (15.0, "stated")),
        ("The award split is Quality 65% / Price 35%. Social value is weighted at 20% of the quality marks.", (13.0, "derived")),
        ("A quality:price ratio of 80:20 applies, and social value accounts for one quarter... "
         "in practice twenty-five per cent of the quality score.", (20.0, "derived")),
        ("Question 9 (Social Value) is worth 75 of the 1,500 marks available.", (5.0, "derived")),
        ("Social value will be assessed on a pass/fail basis and carries no weighting.", (None, "pass_fail")),
        ("Responses on social value are requested for information only and will not be scored.", (None, "unstated")),
    ],
)  # fmt: skip
def test_social_value_weight_from_prose(text: str, expected: tuple[float | None, str]) -> None:
    assert sv_weight(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "At least 25% of new hires under the contract must be local social value recruits.",
        "Government policy requires in-scope bodies to apply a minimum 10% social value weighting.",
        "The supplier shall spend 10% of the contract value with local SMEs as part of its social value offer.",
        "Social value KPI: 95% or above of commitments delivered each quarter.",
        "Social value responses are marked on a 0-5 scale.",
    ],
)
def test_targets_policies_and_scales_are_not_weights(text: str) -> None:
    assert sv_weight(text)[0] is None


def test_statements_keep_parent_and_evidence() -> None:
    statements, _ = prose_statements(
        "Within Quality, social value carries 30% of the quality score.", page=4
    )
    (s,) = statements
    assert (s.criterion.lower(), s.value, s.parent, s.page) == ("social value", 30.0, "Quality", 4)


def test_total_marks_stated_in_prose() -> None:
    assert total_marks("Bids are scored out of a total of 2,000 marks.") == 2000
    assert total_marks("Tenders will be marked out of 500.") == 500


def test_table_with_sub_criteria_adding_up_to_parent() -> None:
    rows = (
        ("Criterion", "Sub-criterion", "Weighting"),
        ("Price", "Whole-life cost", "45%"),
        ("Quality", "Technical approach", "25%"),
        ("", "Mobilisation", "15%"),
        ("", "Social value", "15%"),
    )
    assert sv_weight("Award criteria below.", tables=(Table(page=1, rows=rows),)) == (
        15.0,
        "stated",
    )


def test_quality_breakdown_table_is_nested_under_quality() -> None:
    rows = (
        ("Ref", "Quality question", "Weighting"),
        ("Q1", "Service model", "50%"),
        ("Q2", "Staffing", "30%"),
        ("Q3", "Social value", "20%"),
    )
    weight, basis = sv_weight(
        "Evaluation: Price 30% and Quality 70%.", tables=(Table(page=1, rows=rows),)
    )
    assert (weight, basis) == (14.0, "derived")


def test_table_with_one_column_per_lot_reads_the_first_lot() -> None:
    rows = (
        ("Criterion", "Lot 1", "Lot 2"),
        ("Price", "50%", "60%"),
        ("Quality", "35%", "35%"),
        ("Social value", "15%", "5%"),
    )
    tender, clauses = tender_of("Weights differ by lot.", tables=(Table(page=1, rows=rows),))
    result = weigh(tender, clauses, ["c1"])
    assert result.social_value.effective_pct == 15.0
    assert "Lot 1" in result.social_value.derivation


def test_scoring_scale_table_is_not_criteria() -> None:
    rows = (
        ("Score", "Description"),
        ("5", "Excellent response with full evidence"),
        ("3", "Good response with minor gaps"),
        ("1", "Poor response"),
    )
    assert table_statements([Table(page=1, rows=rows)]) == []


def test_marks_need_a_known_total() -> None:
    statements, _ = prose_statements("Social value is worth 40 marks.", page=1)
    (weighting,) = resolve(statements, stated_total_marks=None)
    assert weighting.effective_pct is None
    (weighting,) = resolve(statements, stated_total_marks=400)
    assert weighting.effective_pct == 10.0


def test_split_social_value_criteria_are_added() -> None:
    tender, clauses = tender_of(
        "Social value (quantitative commitments) 6% of the total score.",
        "Social value (qualitative method statement) 4% of the total score.",
    )
    result = weigh(tender, clauses, ["c1"])
    assert result.social_value.effective_pct == 10.0
    assert result.social_value.basis == "derived"


def test_whole_and_its_named_parts_are_not_double_counted() -> None:
    tender, clauses = tender_of(
        "Community benefits are worth 12% of the total score.",
        "Of the community benefits marks, CB1 Targeted recruitment is 8% and CB2 Supply chain is 4% of the total score.",
    )
    result = weigh(tender, clauses, ["c1"])
    assert result.social_value.effective_pct == 12.0
    assert whole_or_parts([]) == []


def test_no_social_value_means_basis_none() -> None:
    result = pick_social_value([], [], has_sv_text=False)
    assert (result.effective_pct, result.basis) == (None, "none")


def test_numbered_scale_table_is_not_criteria() -> None:
    rows = (
        ("Mark", "Guidance"),
        ("4", "Commitments are costed, timed and tied to named local outcomes"),
        ("3", "Commitments are mostly measurable"),
        ("2", "Commitments are general"),
        ("1", "Commitments repeat the specification"),
        ("0", "Nothing offered"),
    )
    assert table_statements([Table(page=1, rows=rows)]) == []


def test_a_sentence_restating_the_previous_weight_keeps_its_criterion() -> None:
    text = (
        "Environmental and social value questions account for fifteen per cent of the technical "
        "envelope. That equates to 90 of the 600 marks available, or 15% of the total."
    )
    assert sv_weight(text) == (15.0, "stated")


def test_quality_in_marks_is_the_parent_of_a_share_of_quality() -> None:
    assert sv_weight(
        "Of the 800 marks, 480 marks are for Quality and 320 marks are for Price.",
        "Social value makes up 25% of the quality marks.",
    ) == (15.0, "derived")


def test_section_tables_with_subtotals_add_up_to_the_grand_total() -> None:
    technical = (
        ("Technical question", "Points"),
        ("Approach to repairs", "40"),
        ("Resident liaison", "20"),
        ("Technical subtotal", "60"),
    )
    commercial = (("Commercial element", "Points"), ("Tendered rates", "48"), ("Price total", "48"))
    social = (
        ("Social value element", "Points"),
        ("Local labour and apprenticeships", "7"),
        ("Community investment fund", "5"),
        ("Social value total", "12"),
    )
    tables = tuple(Table(page=1, rows=rows) for rows in (technical, commercial, social))
    assert sv_weight("Points are shown per section.", tables=tables) == (10.0, "derived")


def assess_text(text: str) -> Assessment:
    """A plain-text tender through the whole pipeline, on the rules."""
    from analyser.pipeline import Analyser

    return Analyser(use_models=False).assess_bytes(text.encode(), "t.txt")


def text_weight(text: str) -> tuple[float | None, str]:
    """Social value's weight in a plain-text tender, through the whole pipeline's rules."""
    weight = assess_text(text).social_value_weight
    return weight.effective_pct, weight.basis


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # fractions of quality, ratio written with "and"
        ("Cost and quality are weighted 25 : 75.\n"
         "Social value will attract one fifth of the quality marks.\n", 15.0),
        # the brief's own nesting, written as tenders write it
        ("3.1 Social value is 20% of the 60% quality score.\n", 12.0),
        ("3.1 Social value accounts for 25% of the 40% allocated to quality.\n", 10.0),
        ("3.1 Community benefits will form 5% of the overall quality/price evaluation.\n", 5.0),
        # "which is 60% of the total" weighs the quality score, not social value
        ("3.1 Social value is 20% of the quality score, which is 60% of the total.\n", 12.0),
        ("3.1 Ten per cent of the total evaluation score is allocated to social value.\n", 10.0),
        ("3.1 The tender will be marked out of 1000: 450 for price, 470 for quality and 80 for "
         "social value.\n", 8.0),
        # "70% on quality", "60% for quality": the criterion named after the figure
        ("2.1 Bids are evaluated 65% on quality and 35% on price.\n"
         "2.2 Community benefits carry 20% of the quality marks.\n", 13.0),
        ("Tenders will be scored 60% for quality and 40% for price. Within quality, social "
         "value is worth 15%.\n", 9.0),
        # a "share of total" column beside the quality marks
        ("Question | Subject | Quality marks | Share of total\n"
         "Q1 | Delivery plan | 50 | 30.0%\n"
         "Q2 | Staffing | 30 | 18.0%\n"
         "Q3 | Social value: local jobs | 20 | 12.0%\n"
         "Price | Whole-life cost | - | 40.0%\n", 12.0),
        # a scoring formula
        ("Overall = 0.55 x Quality score + 0.35 x Price score + 0.10 x Social Value score\n", 10.0),
        ("Final mark = (Price mark x 0.3) + (Quality mark x 0.7). Social value is 10% of the quality mark.\n", 7.0),
        # marks shared out in words
        ("Four hundred marks are available: two hundred and forty for quality, one hundred and "
         "twenty for price and forty for social value.\n", 10.0),
        # named fields, as Procurement Act notices print award criteria
        ("Name: Delivery plan\nWeighting: 55%\n\nName: Social value\nWeighting: 15%\n\n"
         "Name: Cost\nWeighting: 30%\n", 15.0),
        # an addendum replacing the ratio
        ("Original text: Quality 50% / Price 50%.\nRevised text: Quality 70% / Price 30%.\n"
         "Social value remains 10% of the quality score.\n", 7.0),
        # a stage nested in quality, and a question nested in the stage
        ("Price 50% / Quality 50%.\nStage 2 - Written proposals: 80% of the Quality score\n"
         "Stage 3 - Interview: 20% of the Quality score\n\nStage 2 questions (weightings are % of Stage 2):\n"
         "W1 Approach                      60%\nW2 Team                          20%\n"
         "W3 Social value                  20%\n", 8.0),
        # numbered rows under a caption, one label a KPI word ("compliance")
        ("Award: Quality 70%, Cost 30%.\n2.4 Quality is broken down as follows, each a proportion of the quality weighting:\n"
         "2.4.1 Regulatory compliance and assurance – 50%\n2.4.2 Staff deployment – 30%\n"
         "2.4.3 Local jobs and social value – 20%\n", 14.0),
        # social value items as a % of the total, one wrapped over two lines
        ("Cost 45%\nMethod statements 40%\nCommunity benefits (each % of total):\n"
         "CB1  Targeted recruitment (incl. care leavers and\n      veterans) – 9%\n"
         "CB2  Supply chain spend with local SMEs – 6%\n", 15.0),
        # a share of the total named on the right
        ("8% of the total marks will be awarded for Community Benefits; 52% for quality and 40% for price.\n", 8.0),
        # the figure restated in brackets; criteria named inside brackets after it
        ("Of the total available score, twelve per cent (12%) goes to Social Value and the rest is "
         "shared between Cost (38%) and Technical (50%).\n", 12.0),
        # a framework's permitted ranges beside the call-off's own weights
        ("The framework allows Quality 50% – 80% | Cost 20% – 50% | Social Value 5% – 20%.\n"
         "This call-off: Quality 70%, Cost 30%.\nQuality questions (proportion of the Quality score):\n"
         "A  Service design          70%\nB  Social Value              30%\n", 21.0),
        # a heading and its description in one numbered row, wrapped
        ("Weighting: Cost 40 / Quality 60.\nQuality questions, each a % of the quality marks:\n"
         "1. Delivery model - 60%\n2. Social value: apprenticeships, local spend and\n"
         "   volunteering with schools - 40%\nCost will be evaluated on the annual fee.\n", 24.0),
        # numbered sub-rows inside a social value row are its parts, not added again
        ("Quality 80% / Price 20%; quality criteria are percentages of the quality weighting:\n"
         "1. Approach             75%\n2. Social value          25%\n"
         "   2.1 Local recruitment (incl. care leavers)   15%\n   2.2 Carbon reduction   10%\n", 20.0),
        # a caption sentence whose items follow, separated by semicolons
        ("Cost 50%\nQuality 50%\nThe quality score is split as follows: Technical approach and "
         "staffing 60%; Contract management 30%; Community benefits 10%.\n", 5.0),
        # a figure restated as a share of the total with "equal to"
        ("Price: 55%\nQuality: 45%\nQ6 Community benefits (20% of quality, equal to 9% of the total score)\n", 9.0),
        # a long row label with standards in brackets still belongs to the run under its caption
        ("Cost 75%\nQuality 25%\nQuality questions (% of the quality score)\n"
         "T1 Compliance with the specification (BS EN 13795, BS EN 14126, ISO 13485) and samples: 60%\n"
         "T2 Logistics: 30%\nT3 Social value: 10%\n", 2.5),
        # a TED-style notice: bare weightings in field lines, lots listed out of order
        ("II.2) Description\nLot No: 3\nII.2.5) Award criteria\n"
         "Quality criterion - Name: Service plan / Weighting: 25\n"
         "Quality criterion - Name: Social value / Weighting: 15\nCost criterion - Name: Price / Weighting: 60\n"
         "II.2) Description\nLot No: 1\nII.2.5) Award criteria\n"
         "Quality criterion - Name: Service plan / Weighting: 32\n"
         "Quality criterion - Name: Social value / Weighting: 8\nPrice - Weighting: 60\n", 8.0),
        # a correction replacing the quoted total of marks
        ("Clarification 3: section 6 states \"The maximum score is 400 marks\". This should read "
         "\"The maximum score is 800 marks\".\nCommunity benefits: 80 marks\n", 10.0),
        # an addendum: deleted ratio, and items introduced by the clause before
        ("Delete: \"Quality 50% and Price 50%.\"\nInsert: \"Quality 80% and Price 20%.\"\n\n"
         "The question weightings are a percentage of the quality score:\n"
         "A1 Repairs and compliance (gas) 40%; A2 Staff 35%; A3 Social value 25%.\n", 20.0),
        # price spans the reference column but the questions do not add up to it
        ("Maximum marks: 400\nItem                                     Marks\nCost                                     160\n"
         "T1   Method                              140\nT2   Team                                 60\n"
         "T3   Community benefits                   40\nTOTAL                                    400\n", 10.0),
        # abbreviations, a ratio cell and a caption row inside the table
        ("Cost/Qual.     40/60\nQual. questions (% of Qual. score)\nA1 Delivery plan        70\n"
         "A2 Social value         30\nTotal                   100\n", 18.0),
        # a worked example of a score is not a weight
        ("Weightings:  Cost 45%   |   Quality 45%   |   Social Value 10%\n"
         "Example: a social value answer scored \"Good\" (75%) earns 7.5 points.\n", 10.0),
        # sub-questions as shares of the social value weighting are its parts
        ("Cost 30%\nQuality 55%\nCommunity benefits 15%\nThe figures below are shares of the community "
         "benefits weighting.\nCB1 Jobs for care leavers   60%\nCB2 School engagement   40%\n", 15.0),
        # a clarification request without a question mark, and its answer
        ("Q7. Paragraph 4 of the ITT gives \"Social value 20%\". Please confirm if that is of the total.\n"
         "A7. Social value is 20% of the quality score; quality is 50% and cost is 50%.\n", 10.0),
        # a ratio spaced out like a table, per lot
        ("5.1 Lot 1 - Day services\n    Quality : Cost  =  80 : 20\n5.2 Lot 2 - Respite\n"
         "    Quality : Cost  =  50 : 50\n5.3 Quality criteria (both Lots; % of Quality score)\n"
         "    Care model ............. 75%\n    Social value ........... 25%\n", 20.0),
        # "maximum available" total stated in points
        ("1. Cost - 60 points\n2. Delivery - 30 points\n3. Community benefit - 10 points\n"
         "Maximum available: 125 points (including a 25 point interview).\n", 8.0),
        # each cell names its criterion and weight, one line per lot
        ("Lot 1:   Cost 60%   Quality 25%   Social Value 15%\n"
         "Lot 2:   Cost 80%   Quality 15%   Social Value 5%\n", 15.0),
        # items listed with commas: the figure before a comma belongs to the item before it
        ("Quality 70% / Cost 30%. Within quality: method 50%, staffing 35%, community benefits 15%.\n", 10.5),
        # marks within a section weighed as a share of quality, under a heading
        ("Cost 40% / Quality 60%.\nQuality sections (as a % of the Quality score):\n"
         "  Part 1 - Delivery ........ 75%\n  Part 2 - Wider value ...... 25%\n\n"
         "Part 2 is scored out of 40 marks:\n  2a Community benefits ........ max 30 marks\n"
         "  2b Innovation ........ max 10 marks\n", 11.25),
        # a section divided between social value and another part: social value is the part
        ("Price 40% of the total; Quality 60% of the total.\nQuality is made up of Delivery (70%) and "
         "Sustainable Procurement (30%).\nSustainable Procurement is split between Social Value (50% of the "
         "section) and Environmental Management (50% of the section).\n", 9.0),
        # the document answers for one lot only
        ("Response form - to be used for Lot 3 only.\nLot 1: Quality 60% / Price 40%; Social Value = 10% of Quality\n"
         "Lot 3: Quality 80% / Price 20%; Social Value = 20% of Quality\n", 16.0),
        # the non-price remainder, shared out in fractions
        ("Price carries 70% of the marks. The remaining 30% of the marks are for written answers; one third "
         "of the non-price marks is reserved for the social value answer.\n", 10.0),
        # a question row wrapped over two lines with dot leaders
        ("Quality 50% : Price 50%.\nShare of the quality marks for each question:\n"
         "  Question 1  Service plan ............................ 80%\n"
         "  Question 2  Social Value (local jobs, volunteering,\n"
         "              school visits) ........................... 20%\n", 10.0),
        # one cell per line: each section, then its sub-criteria as shares of it
        ("Award criteria\nCriterion\nWeighting\nSub-criterion\nSub-weighting (% of criterion)\n"
         "Cost\n30%\nWhole life cost\n100%\nQuality\n70%\nMethod\n60%\nCommunity benefits\n20%\n"
         "Team\n20%\n", 14.0),
        # an amendment notice: the stated text is replaced
        ("Section 5 of the ITT stated:\n   \"Cost 50%, Quality 45%, Social Value 5%.\"\n"
         "Section 5 is deleted and replaced with:\n   \"Cost 40%, Quality 48%, Social Value 12%.\"\n", 12.0),
        # an answer saying which score the weight applies to
        ("Q4 (received 2 May)\nThe ITT says social value is 25%. Please confirm what this is a share of.\n"
         "A4\nThe 25% weighting for social value applies to the quality element only. Price is 60% and "
         "quality 40%.\n", 10.0),
        # weighting factors beside the marks they give: the marks are the weights
        ("Ref | Question | Multiplier | Maximum marks\nM1 | Method | 6 | 30\nM2 | Community benefits | 4 | 20\n"
         "Total | | 10 | 50\nQuality marks (out of 50) carry 40% of the evaluation; cost 60%.\n", 16.0),
        ("No.  Question            Weighting factor   Max weighted score\n"
         "1    Delivery plan              x6                 30\n"
         "2    Social value               x2                 10\n"
         "     Maximum quality score                         40\n"
         "Price: up to 60 points. Maximum total score: 100 points.\n", 10.0),
        # fractions in a list
        ("Marks: quality half of the overall score, price two fifths and social value one tenth.\n", 10.0),
        # a section label on every row is a prefix; marks scored out of a stated quality total
        ("Evaluation: 70% quality and 30% price.\nThe quality submission will be scored out of 50 marks:\n"
         "Part A    Method statement          30 marks\nPart B    Staffing plan             10 marks\n"
         "Part C    Community benefits        10 marks\n", 14.0),
        # a heading between the top-level rows and the quality rows starts a new run
        ("3.1 Weightings\nTechnical: 70%\nCommercial: 30%\n\n3.2 Technical questions (percentages of technical score)"
         "\n\nT1 Approach: 60%\nT2 Staffing: 30%\nT3 Social value: 10%\n", 7.0),
    ],
)  # fmt: skip
def test_weights_written_in_less_common_ways(text: str, expected: float) -> None:
    assert text_weight(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Our Procurement Strategy states that a social value weighting of 10% applies to all contracts.\n"
        "This contract will be awarded on price alone.\n",
        "Q3. Is social value weighted at 10% of the total? Please confirm.\n"
        "A3. Social value is not scored in this procurement.\n",
        "The tender will be awarded on the lowest cost per quality point.\n"
        "Social value: 20 of the 100 quality points.\n",
        "Suppliers must reach a minimum social value score of 60% to pass.\n",
        "Social value: our strategy aims for 30% of its total spend to stay local.\n"
        "Bids whose social value score is below 40% of the marks available will be excluded.\n",
    ],
)
def test_more_figures_that_are_not_weights(text: str) -> None:
    assert text_weight(text)[0] is None


def test_criteria_that_only_mention_fair_work_are_not_social_value() -> None:
    text = (
        "Quality 60% / Price 40%.\nQuality criteria (percentages of the quality score):\n"
        "Q1 Care planning and delivery                       50%\n"
        "Q2 Workforce, training and Fair Work First          35%\n"
        "Q3 Community benefits                               15%\n"
    )
    assert text_weight(text) == (9.0, "derived")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a worked scoring example is not the weight
        ("Award criteria: Price 50%, Quality 38%, Social Value 12%.\n"
         "Worked example: a bidder scoring 3 out of 5 on social value would receive 7.2% of the 12% "
         "available.\n", 12.0),
        ("Social value carries 15% of the total marks. A response scoring 2 (fair) therefore "
         "equates to 6% of the maximum 15%.\nPrice 45%. Quality 40%.\n", 15.0),
        # a heading over right-aligned figures belongs to the figures, not to the label column
        ("Ref  Criterion                                          Points\n"
         "T1   Technical approach and innovation                    250\n"
         "T2   Account management                                   150\n"
         "T3   Community benefits and local supply chain            100\n"
         "Price (lowest compliant price scores full points)         500\n", 10.0),
        # rows weighted within a named section
        ("Price: 30% of the total score.\nQuality: 70% of the total score:\n"
         "   Part 1 - Method: 60% of the Quality score\n   Part 2 - Delivery and sustainability: 40% of the Quality score\n"
         "Part 2 is split into two questions, weighted within Part 2 as:\n"
         "   2a Carbon reduction plan                       50%\n"
         "   2b Social value and local employment           50%\n", 14.0),
        # a long list sentence opened by its scope
        ("Quality is worth four-fifths of the marks and price one-fifth.\n"
         "Within quality, answers are weighted as follows: technical solution and programme, one half; "
         "team and named personnel, one quarter; aftercare and warranty support, one eighth; "
         "social value commitments, one eighth.\n", 10.0),
    ],
)  # fmt: skip
def test_weights_beside_examples_sections_and_scoped_lists(text: str, expected: float) -> None:
    assert text_weight(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a notice for changes: the "Instead of:" block is the old text
        ("Section VII: Changes\nPlace of text to be modified: II.2.5 Award criteria\nInstead of:\n"
         "Quality criterion - Name: Method / Weighting: 62\nQuality criterion - Name: Community benefits / Weighting: 8\n"
         "Cost criterion - Name: Price / Weighting: 30\nRead:\nQuality criterion - Name: Method / Weighting: 58\n"
         "Quality criterion - Name: Community benefits / Weighting: 12\nCost criterion - Name: Price / Weighting: 30\n", 12.0),
        # a three-part ratio, its figures wrapped onto the next line
        ("4.2 The contract will be awarded on a Price / Quality / Social Value split of\n40 / 48 / 12.\n", 12.0),
        # a formula over letters defined underneath
        ("Overall score = (0.45 x C) + (0.40 x T) + (0.15 x V)\nwhere C = commercial score out of 100, "
         "T = technical score out of 100 and V = social value score out of 100.\n", 15.0),
    ],
)  # fmt: skip
def test_corrigenda_three_part_ratios_and_letter_formulas(text: str, expected: float) -> None:
    assert text_weight(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a figure inside a label that wraps ("Outcome 2.4" / "and 5.1)") is not the weight
        ("Envelopes: Commercial 40%   Technical 60%\nTechnical questions, as % of the Technical envelope:\n"
         "   TQ1  Delivery approach                                   50%\n"
         "   TQ2  Account management                                  25%\n"
         "   TQ3  Mobilisation                                        10%\n"
         "   TQ4  Social value (PPN 06/20 outcomes 2.4\n"
         "        and 5.1)                                            15%\n", 9.0),
        # a list item ends where the text moves back left; the marks list is quality's
        ("Cost 40% | Quality 60%\nThe quality score is assessed through the questions below (marks in brackets):\n"
         "   A. Operational plan (50 marks)\n   B. Workforce (30 marks)\n   C. Social value and local supply chain (20 marks)\n"
         "Marks awarded will then be scaled to the 60% quality weighting. The Trust spends 40% of its budget locally.\n", 12.0),
    ],
)  # fmt: skip
def test_wrapped_labels_and_indented_mark_lists(text: str, expected: float) -> None:
    assert text_weight(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clarification log whose pipe rows wrap over lines; the question column quotes the
        # figure the answer corrects, so only the answer counts ("Community Benefits (question
        # C4) carries ...")
        ("Ref | Raised | Question | Response\n"
         "C-07 | 04/03 | Paragraph 6.1 says community benefits are worth 15% of the total, but the\n"
         "scoring annex shows only Technical 70% and Commercial 30%. Which is correct? | The annex is\n"
         "correct: Community Benefits (question C4) carries 15% of the technical marks. Technical is\n"
         "70% of the total and Commercial is 30%.\n"
         "C-08 | 05/03 | Can we submit in PDF? | Yes, PDF or Word.\n", 10.5),
        # a named part whose marks are split is the parent of the split
        ("Written tender: 50% of the total score.\nPrice: 30% of the total score.\n"
         "Site visit and presentation: 20% of the total score.\n"
         "Presentation marks are divided: programme walk-through 50%, social value delivery plan 50%.\n", 10.0),
        # an inline list of weighted questions wrapped over two lines
        ("Quality 60%          Price 40%\n"
         "Quality questions (weightings are % of the Quality score):\n"
         "QA Mobilisation plan 30% | QB Fleet, depots and vehicle\n"
         "replacement 40% | QC Social value and local hiring 20% | QD Exit plan 10%\n", 12.0),
    ],
)  # fmt: skip
def test_clarification_logs_split_marks_and_wrapped_inline_lists(
    text: str, expected: float
) -> None:
    assert text_weight(text)[0] == expected


def test_aligned_rows_whose_cells_wrap_onto_a_second_line() -> None:
    text = (
        "Award criterion                 Weight     How it is assessed\n"
        "Whole-life cost (tendered       40%        Lowest cost scores 100; others in\n"
        "rates and fees)                            proportion to it\n"
        "Service quality and             45%        Method statements MS1-MS5, each\n"
        "resilience,                                scored 0-4\n"
        "Community benefits (incl.       15%        Questions CB1-CB2, each scored\n"
        "Fair Work First)                           0-4 by two evaluators\n"
    )
    weight = assess_text(text).social_value_weight
    assert weight.effective_pct == 15.0
    assert [e.text for e in weight.evidence] == [
        "Community benefits (incl. Fair Work First) | 15% | Questions CB1-CB2, each scored "
        "0-4 by two evaluators"
    ]


def test_a_community_benefits_points_tariff_is_not_a_weight_table() -> None:
    rows = (
        ("Ref", "Outcome", "Unit", "Points"),
        ("CB1", "Job filled by a long-term unemployed resident", "per job", "20"),
        ("CB2", "Modern Apprenticeship started", "per start", "25"),
        ("CB3", "School careers session", "per session", "2"),
    )
    tender, clauses = tender_of(
        "Award criteria: Price 70%, Quality 25%, Community Benefits method statement 5%.",
        tables=(Table(page=1, rows=rows),),
    )
    result = weigh(tender, clauses, ["c1"])
    assert (result.social_value.effective_pct, result.social_value.basis) == (5.0, "stated")
    assert sorted(w.value for w in result.weightings) == [5.0, 25.0, 70.0]


def weightings_of(text: str) -> list[tuple[str, float | None, float | None]]:
    return [(w.criterion, w.value, w.effective_pct) for w in assess_text(text).weightings]


def test_a_row_naming_community_benefits_in_full_after_its_envelope() -> None:
    text = (
        "Award criteria\n\nPrice: daily hire rate for the lot 70%\n"
        "Technical T1 Fleet and maintenance 20%\n"
        "Technical T2 Community Benefits delivery statement 10%\n"
    )
    assert text_weight(text) == (10.0, "stated")


def test_a_clause_number_run_into_points_is_not_a_figure() -> None:
    text = (
        "Award criteria: Price 60%, Quality 30%, Social Value 10%.\n\n"
        "S5.3 Points not delivered in a contract year are carried forward to the next.\n"
    )
    assert sorted(value for _, value, _ in weightings_of(text)) == [10.0, 30.0, 60.0]


def test_quality_marks_named_in_the_quality_row_settle_a_marks_table() -> None:
    criteria = (
        ("Element", "Weighting", "Basis"),
        ("Financial", "40%", "Lowest whole-life cost scores in full"),
        ("Quality", "60%", "Five method statements worth 50 marks in total"),
    )
    questions = (
        ("Question", "Subject", "Marks"),
        ("M1", "Operating model", "15"),
        ("M2", "Workforce and training plan", "12"),
        ("M3", "Maintenance regime", "10"),
        ("M4", "Community Benefits", "8"),
        ("M5", "Exit plan", "5"),
    )
    tables = (Table(page=1, rows=criteria), Table(page=1, rows=questions))
    assert sv_weight("The criteria and marks are below.", tables=tables) == (9.6, "derived")
