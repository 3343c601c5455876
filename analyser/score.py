"""Score: the rubric's eight dimensions, the 0-100 score and band, the verdict, flags and
recommendations. The rubric's text lives in ``rubric.yaml`` (one source for score and report).

How a level is reached (brief section 7): each dimension has cues. Levels 2 and above need
evidence in a *substantive* clause about this tender (annotation guide, section 8): a cue in
a token clause ("bidders are encouraged to report...") only earns level 1. Background
clauses that explain policy count only where the rubric says so (themes named, reasons
given). The points per level come from ``rubric.yaml`` and were calibrated on the corpus
dev split (substantive tenders at 60 or more, token tenders below 30).

Recommendations are tied to the weak dimensions, adapted to the jurisdiction, date and
value the document implies (``detect_context``), and carry good-practice examples from the
corpus (``analyser/data/exemplars.json``, built by ``python -m analyser.report.exemplars``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from analyser.types import (
    AssessedClause,
    DimensionScore,
    Recommendation,
    SocialValueWeight,
    Tender,
    Verdict,
)

Pattern = re.Pattern[str]


def _rx(pattern: str) -> Pattern:
    return re.compile(pattern, re.IGNORECASE)


# --- cues ---------------------------------------------------------------------------------
# D1
INTEGRATED = _rx(
    r"(social\s+value|community\s+benefits?)\s+(is|are|will\s+be)\s+(embedded|integrated|built|"
    r"assessed|evaluated|scored)\s+(in|into|within|inside|as\s+part\s+of)\s+(each|every|all|"
    r"(two|three|four|five|six|several)\s+of\s+the|the\s+(quality|technical))|"
    r"(each|every|all)\s+(of\s+the\s+)?(quality|technical)\s+questions?\s+(include|includes|contain|"
    r"contains|will\s+assess|has)\s+(a\s+)?(social\s+value|community\s+benefit)|"
    r"no\s+separate\s+social\s+value\s+weighting.{0,80}(instead|within|inside|each)"
)
# D2
NAMED = _rx(
    r"\bMAC\s?\d|\bmodel\s+award\s+criteri|\bSRMs?\b|standard\s+reporting\s+metric|\bNT\s?\d{1,3}\b|"
    r"\bTOMs\b|policy\s+outcome|social\s+value\s+model|\bmission\b|(?-i:\b[A-Z]{2,6}-?SV\s?\d+\b)|"
    r"(?-i:\b[A-Z]{2,4}\d{2}\b|\bSV\d\b)|targeted\s+recruitment\s+and\s+training|\bTR\s?&\s?T\b|"
    r"community\s+benefits?\s+(menu|types?|matrix|points|outcomes?|measures?)|"
    r"(council|authority|board|agency)'s\s+(social\s+value\s+)?measures|measures?\s+(listed|in\s+table)|"
    r"(fair\s+work|skills|employment|supply\s+chain|environment\w*|net\s+zero)\s+(outcome|measure|theme)s?"
)
SELECTED = _rx(
    r"\b(has|have)\s+(selected|chosen|identified|prioritised|prioritized)\b|"
    r"\b(selected|chosen)\s+(for|because|as\s+relevant|to\s+fit|as\s+the)|"
    r"\bfor\s+this\s+contract\s+(it|we|the\s+\w+)\s+(has|have)\s+(selected|chosen)|"
    r"\b(relevant|tailored)\s+to\s+(this|the)\s+(contract|works|service)|"
    r"\bpriorit(y|ies)\s+(outcomes?|measures?)\s+for\s+this|\bfocus(es|ed)?\s+on\s+(one|two|three|a\s+(few|single))|"
    r"\b(a\s+single|one|two|three|four|five|six)\s+(selected\s+)?(policy\s+)?(outcomes?|measures?|model\s+award)"
)
MENU = _rx(
    r"\b(select|choose|pick)\s+(at\s+least\s+)?(one|two|three|four|five|\d)\s+(or\s+more\s+)?(of|from)\b|"
    r"\b(one|two|three|\d)\s+or\s+more\s+of\s+the\s+following|from\s+the\s+menu|\bmenu\s+(of|at|in)\b|"
    r"mix\s+of\s+benefits"
)
THEMES = _rx(
    r"economic,?\s+social\s+(and|&)\s+environmental|social,?\s+economic|themes?\b|"
    r"local\s+(jobs|employment|economy|labour|people|suppliers|businesses)|apprentice|"
    r"work\s+(experience|placements?)|training|net\s+zero|carbon|climate|fair\s+work|living\s+wage|"
    r"volunteer|community\s+wealth|well-?being\s+(objectives|goals)|greener|environment|"
    r"employment|skills|inclusive\s+growth|supply\s+chain"
)
WISH_LIST = _rx(
    r"(describe|outline|tell\s+us(\s+about)?|details\s+of|offer|provide|propose|list|include|bring)\s+(\w+\s+){0,3}"
    r"any\s+(other\s+)?(social\s+value|community\s+benefits?|added\s+value)(?!\s+(KPI|commitments?|targets?))|"
    r"wish[\s-]?list|anything\s+else\s+that"
)
# D3
QUANTIFY = _rx(r"quantif|how\s+many|\bnumber\s+of\b|numerical|in\s+numbers")
EVIDENCE = _rx(
    r"payroll|certificat|timesheet|invoices?|records?\b|verif|audit|data\s+source|evidenced?\s+(by|with|through)|"
    r"evidence\s+(such\s+as|of|will|that|including)|supporting\s+evidence|named\s+list|anonymised"
)
BASELINE = _rx(
    r"baseline|\bper\s+£\s?1\s?(m|million)|unit\s+of\s+measure|\bmetrics?\b|\bSRMs?\b|measured\s+(as|by|in)|"
    r"\bKPIs?\b|person[\s-]weeks|\bFTE\b"
)
# D4
SCALE = _rx(
    r"\b0\s?(-|–|to)\s?(3|4|5|7|10|100)\b|\bscored?\s+(out\s+of|from)\s+\d|descriptors?|scoring\s+(scale|matrix|guidance|criteria)|"
    r"(evaluated|assessed|scored|judged|marked)\s+(on|against|by|using|as\s+follows)|"
    r"evaluators?\s+will\s+(consider|look|assess)|credib|deliverab|\bpanel\b|moderat|"
    r"(will|shall)\s+(receive|be\s+awarded)\s+(the\s+)?(maximum|full)?\s*marks|in\s+proportion|"
    r"\bscor(e|ing)\s+\d\b|\b\d+\s+marks\s+for\b|(excellent|good|weak|poor|unacceptable)\b"
)
GENERIC_SCALE = _rx(
    r"same\s+(\d\s*(-|to)\s*\d\s+)?(scale|scoring|matrix)\s+as|general\s+scoring|standard\s+scoring|"
    r"scoring\s+(scale|matrix)\s+(in|at)\s+(section|paragraph|appendix)|scale\s+(in|at)\s+section"
)
HOLISTIC = _rx(
    r"holistic|in\s+the\s+round|professional\s+judge?ment|no\s+descriptors|overall\s+impression|"
    r"will\s+be\s+considered\s+as\s+part\s+of\s+the\s+quality"
)
CRITERIA = _rx(
    r"higher\s+(scores?|marks)|will\s+(give|award)\s+(higher|more|credit|full)|credit\s+(will\s+be\s+given|for)|"
    r"(scored|marked|assessed|evaluated)\s+(\d\s?(-|to)\s?\d+\s+)?(on|against)\s+(the\s+)?(following|three|two|four|"
    r"relevance|credib|deliverab|scale|ambition|quality|number|criteria)|score\s+of\s+\d\s+will|"
    r"(excellent|good|satisfactory|weak|poor|unacceptable)\s*\|"
)
WORD_LIMIT = _rx(
    r"word\s+limit|\b(maximum|max\.?|no\s+more\s+than|not\s+exceed|limited\s+to|up\s+to)\s+(length:?\s+|of\s+)?[\d,]+\s+words|"
    r"[\d,]+\s+words|sides?\s+of\s+A4|pages?\s+of\s+A4"
)
NO_LIMIT = _rx(r"no\s+word\s+limit|no\s+limit")
PLAN = _rx(
    r"method\s+statement|(delivery|action|project|implementation)\s+(plan|timetable|note)|timetable|timeline|"
    r"milestones?|\btimed\b|named\s+partners"
)
COMBINE = _rx(
    r"combined|quantitative\s+(and|part)|qualitative|two\s+(parts|elements)|equally\s+weighted\s+elements|"
    r"in\s+that\s+ratio|normalised|in\s+proportion|converted\s+to|multiplied\s+by"
)
# D5
ADDITIONAL = _rx(
    r"over\s+and\s+above|additional\s+to|\bbeyond\s+(what|the)\b|not\s+(be\s+)?additional|"
    r"(will\s+not|won't|cannot|can\s*not|not)\s+(be\s+)?(credited|counted|earn|attract|"
    r"treated\s+as|offered\s+as|be\s+credited)|core\s+(requirements?|service|delivery|purpose|duties)|"
    r"already\s+(required|set\s+out|provide)|(part|parts)\s+of\s+the\s+(core|works|specification|service)|"
    r"restate\s+requirements"
)
PROPORTIONATE = _rx(
    r"proportion|per\s+£\s?1\s?(m|million)|pro\s+rata|contract\s+value|value\s+and\s+(duration|length)|"
    r"\bscale\s+of\s+the\s+contract"
)
TIED = _rx(
    r"workforce|supply\s+chain|service\s+users|\bstaff\b|employees|sub-?contract|recruit|"
    r"(this|the)\s+contract('s)?\b|on\s+the\s+contract|contract\s+roles|\bthe\s+(works|service|framework)\b|"
    r"tenants|patients|pupils|residents|users"
)
RELEVANT_TO = _rx(
    r"relevan(t|ce)\s+(of\s+(the\s+)?\w+\s+)?to\s+(this|the)\s+(contract|works|service|framework|subject)|subject[\s-]matter"
)
NONE_REASONED = _rx(
    r"no\s+community\s+benefit\s+requirements\s+(are|have\s+been)\s+included|reasons?\s+for\s+not\s+including"
)
CORE_AS_SV = _rx(
    r"high[\s-]quality[\s,\w-]{0,30}(service|support|care)|deliver\s+the\s+service|"
    r"itself\s+a\s+(key\s+)?social\s+benefit|is\s+the\s+social\s+value"
)
# D6
INCORPORATED = _rx(
    r"form(s)?\s+part\s+of\s+the\s+(contract|framework|call-?off)|incorporated\s+(in|into)|"
    r"(included|recorded|set\s+out|attached)\s+(in|into|to)\s+(the\s+)?(contract|schedule|call-?off|framework)|"
    r"\bschedule\s+\d+|become\s+(a\s+)?(contract|framework|minimum|contractual)|contractual|"
    r"condition\s+of\s+(the\s+)?contract|contract\s+condition|"
    r"(contractor|supplier|provider|operator|contractors|suppliers)\s+(shall|must|will)\s+(pay|deliver|report|submit|provide|complete|advertise|achieve)"
)
FREQUENCY = _rx(
    r"quarterly|monthly|annual(ly)?|every\s+(six|three|twelve|\d+)\s+months|six-monthly|each\s+(quarter|year|month)|"
    r"end\s+of\s+each|at\s+each|per\s+(quarter|year)|yearly|each\s+(contract\s+)?(review|anniversary)"
)
KPI = _rx(r"\bKPIs?\b|key\s+performance|performance\s+(indicator|scorecard)|scorecard|\bmetric")
REMEDY = _rx(
    r"service\s+credit|rectification|remed(y|ial|ies)|terminat|material\s+breach|step[\s-]in|"
    r"withh[oe]ld|deduct|liquidated|performance\s+(improvement|notice)|reduction\s+in\s+(contract\s+)?scope|"
    r"claw[\s-]?back|price\s+adjustment|\bdefault\b|shall\s+pay\s+£|suspend|recovery\s+plan|improvement\s+plan|"
    r"exclusion|ranking.{0,60}recalculated"
)
REPORTING = _rx(
    r"\breport|\bmonitor|\breturns?\b|review\s+meeting|contract\s+review|reviewed|information\s+(on|about)|"
    r"\bportal\b|measurement\s+tool|\bCBMT\b"
)
# D7
AREA = _rx(
    r"\bwards?\b|postcodes?|within\s+\d+\s+(miles|km)|priority\s+(places?|neighbourhoods?|areas?)|"
    r"(based|resident|living)\s+(in|within)\s+(the\s+)?[A-Z][\w-]+|residents?\s+of\s+(the\s+)?[A-Z][\w-]+|"
    r"(the|our)\s+(district|borough|county|region|lot\s+area)\b|travel[\s-]to[\s-]work|coastal\s+(areas|communities)|"
    r"rural\s+(areas|communities)|deprivation|Index\s+of\s+Multiple|\bthe\s+[A-Z]\w+\s+area\b|localities"
)
GROUPS = _rx(
    r"care\s+leavers|long[\s-]term\s+unemployed|(prison|ex)[\s-]?(leavers|offenders)|disab\w+|veterans|NEET|"
    r"young\s+people|under-?represented|priority\s+groups|disadvantaged|homeless|refugees?|New\s+Scots|"
    r"economically\s+inactive|barriers\s+to\s+(work|employment)|learning\s+disabilit|school\s+leavers|"
    r"students|women|ethnic|lived\s+experience|unemployed"
)
NEEDS = _rx(
    r"local\s+needs|needs\s+(analysis|assessment)|market\s+engagement|co-?design|co-?produc|consultation|consulted|"
    r"engagement\s+(event|session)|brokerage|community\s+partners|(local|regional)\s+(strategy|growth\s+plan)|"
    r"inclusive\s+growth\s+strategy|Index\s+of\s+Multiple\s+Deprivation|tested\s+with|developed\s+with|"
    r"(users|tenants|residents)('|s)?\s+(forum|panel|board|group)|shortages?|skills\s+gap|identified\s+(using|through)|"
    r"(report|evidence)\s+(shows?|of)\s+(a\s+)?(shortage|need)|waiting\s+lists?"
)
LOCAL = _rx(
    r"\blocal\s+(community|communities|people|residents|area|economy|suppliers|labour|schools|charities|groups|"
    r"businesses|employment|jobs)|\b(residents|communities|people)\s+(of|in|around)\s+(the\s+)?[A-Z]\w+|"
    r"[A-Z]\w+'s\s+residents|the\s+communities\s+(we|it)\s+serve|\bthe\s+(district|borough|county)\b"
)
# D8
SME = _rx(
    r"\bSMEs?\b|small(er)?\s+(and\s+medium[\s-]sized\s+|and\s+local\s+|local\s+|regional\s+)?(\w+\s)?"
    r"(businesses|firms|enterprises|providers|operators|contractors|suppliers|consultancies|organisations)|"
    r"\bVCSEs?\b|social\s+enterprises?|third\s+sector|voluntary\s+(sector|and\s+community|organisations)|"
    r"co-?operatives?|supported\s+business|micro[\s-]businesses|independent\s+(garages|providers|shops)|"
    r"community\s+(transport\s+)?organisations|community\s+interest\s+compan|charities"
)
MECHANISM: list[tuple[str, Pattern]] = [
    (
        "lots",
        _rx(
            r"divided\s+into\s+(\w+\s+){0,2}lots|lot\s+structure|(separate|small|smaller|geographic\w*|regional|"
            r"local|specialist)\s+lots?\b|\blots?\s+(has|have)\s+been\s+(kept|designed|sized|split|created)|"
            r"\b(lot\s+\d|lots)\s+(has|have)\s+been\s+kept|\bgrouped\s+into\s+\d+\s+(small\s+)?lots"
        ),
    ),
    ("prompt_payment", _rx(r"prompt\s+payment|(with)?in\s+30\s+days|fair\s+payment|paid\s+within")),
    (
        "subcontract_advertising",
        _rx(
            r"contracts\s+finder|sell2wales|public\s+contracts\s+scotland|advertis\w+\s+(all\s+|every\s+|any\s+)?"
            r"(sub-?contract|opportunit)|sub-?contract\w*\s+(opportunit|packages)"
        ),
    ),
    (
        "spend_target",
        _rx(
            r"spend\s+with|£[\d,.]+\s*(m|k)?\s+(with|spent)|%\s+of\s+(the\s+)?(call-off\s+|contract\s+)?(value|spend|supply)|"
            r"supply[\s-]chain\s+spend|value\s+of\s+(work|goods|subcontracts?)\b|proportion\s+of\s+(subcontract|spend)|"
            r"annual\s+(spend|value)|expected\s+spend|spend\s+in\s+pounds|place\w*\s+with\s+(small|SME|social|local)|"
            r"(SME|VCSE|social\s+enterprise)s?.{0,60}(per\s+year|annual|£)"
        ),
    ),
    (
        "meet_the_buyer",
        _rx(r"meet\s+the\s+buyer|supplier\s+(event|day|engagement)|engagement\s+events?"),
    ),
    (
        "proportionate_requirements",
        _rx(
            r"proportionate\s+(requirements|insurance|turnover)|no\s+minimum\s+turnover|minimum\s+turnover\s+(set\s+)?low"
        ),
    ),
]
RESERVED = _rx(
    r"reserved\s+(contract|for|to|lot|under)|\bis\s+reserved\b|reservation|public\s+service\s+mutual|"
    r"section\s+3[23]\s+of\s+the\s+Procurement\s+Act|regulation\s+(20|21|77)\b|sheltered"
)

LOCAL_PREFERENCE = _rx(
    r"must\s+be\s+based\s+in|local\s+(firms|suppliers|bidders)\s+only|preference\s+(will\s+be\s+)?given\s+to\s+local"
)
MONETISED = _rx(
    r"proxy\s+values?|financial\s+prox|social\s+value\s+portal|TOMs\s+(calculator|portal)|monetis|\bSROI\b|"
    r"£\s?value\s+of\s+(the\s+)?social\s+value|social\s+value\s+(calculator|£)"
)
UNSCORED = _rx(
    r"(not|n't)\s+(be\s+)?(scored|evaluated|assessed|weighted|marked|taken\s+into\s+account)|for\s+information|"
    r"no\s+(separate\s+)?(marks|weighting)|unscored|not\s+(an?\s+)?(award\s+criteri|separately\s+weighted)"
)
HEDGE = _rx(
    r"\b(may|might|could|encourag\w+|where\s+(possible|practicable|appropriate)|aim\s+to|explore|"
    r"welcome[sd]?|invited\s+to|optional|if\s+(possible|appropriate)|wish\s+to|would\s+like)\b"
)


# --- the rubric data file -------------------------------------------------------------------


@dataclass(frozen=True)
class Rubric:
    dimensions: tuple[dict[str, Any], ...]
    bands: tuple[dict[str, Any], ...]
    jurisdictions: dict[str, dict[str, Any]]
    flags: dict[str, str]
    band_notes: dict[str, str]

    def band(self, score: int) -> str:
        for band in self.bands:
            if score >= band["min"]:
                return str(band["name"])
        return str(self.bands[-1]["name"])

    def dimension(self, dim_id: str) -> dict[str, Any]:
        return next(d for d in self.dimensions if d["id"] == dim_id)

    @property
    def jurisdiction_notes(self) -> dict[str, str]:
        """Backwards compatible: one plain sentence per jurisdiction."""
        return {k: str(v.get("summary", "")) for k, v in self.jurisdictions.items()}


@cache
def load_rubric() -> Rubric:
    """The rubric data file shipped with the package (read once; it never changes at run time)."""
    text = resources.files("analyser").joinpath("rubric.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return Rubric(
        tuple(data["dimensions"]),
        tuple(data["bands"]),
        dict(data.get("jurisdictions", {})),
        dict(data.get("flags", {})),
        dict(data.get("band_notes", {})),
    )


@cache
def load_exemplars() -> dict[str, list[dict[str, Any]]]:
    """Good-practice clauses per dimension (``analyser/data/exemplars.json``); empty if absent."""
    try:
        text = (
            resources.files("analyser").joinpath("data/exemplars.json").read_text(encoding="utf-8")
        )
    except (FileNotFoundError, OSError):
        return {}
    data = json.loads(text)
    return {k: list(v) for k, v in data.get("dimensions", {}).items()}


# --- verdict ----------------------------------------------------------------------------------


def verdict_of(clauses: Sequence[AssessedClause]) -> Verdict:
    """Output contract: absent without social value clauses; substantive when one non-background
    clause is substantive; otherwise token."""
    if not clauses:
        return "absent"
    if any(c.label == "substantive" and c.role != "background" for c in clauses):
        return "substantive"
    return "token"


# --- context: jurisdiction, buyer type, date, value ---------------------------------------------

NATION_CUES: dict[str, Pattern] = {
    "scotland": re.compile(
        r"\bScotland\b|\bScottish\b|Procurement\s+Reform\s+\(Scotland\)|Public\s+Contracts\s+Scotland|"
        r"PCS-Tender|\bSCQF\b|Fair\s+Work\s+First|Single\s+Procurement\s+Document\s+\(Scotland\)",
        re.IGNORECASE,
    ),
    "wales": re.compile(
        r"\bWales\b|\bWelsh\b|Sell2Wales|\bCymru\b|Future\s+Generations|Community\s+Benefits\s+Measurement\s+Tool|"
        r"\bCBMT\b|Social\s+Partnership\s+and\s+Public\s+Procurement",
        re.IGNORECASE,
    ),
    "northern_ireland": re.compile(
        r"Northern\s+Ireland|\bPPN\s+0?1/21\b|Construction\s+and\s+Procurement\s+Delivery|\bCPD\b|Belfast|"
        r"Department\s+of\s+Finance\s+\(NI\)|eTendersNI",
        re.IGNORECASE,
    ),
}
NOT_NATION = re.compile(
    r"England\s+and\s+Wales|England,\s+Wales|for\s+comparison,?\s+[^.]*", re.IGNORECASE
)
BODY_CUES: dict[str, Pattern] = {
    "nhs": re.compile(
        r"\bNHS\s+(Trust|Foundation|England|Board|bodies|organisations|Supply\s+Chain|Standard\s+Contract)|"
        r"Integrated\s+Care\s+Board|\bICB\b|Foundation\s+Trust|Health\s+Board|Provider\s+Selection\s+Regime",
        re.IGNORECASE,
    ),
    "central_government": re.compile(
        r"(?m)executive\s+agency|non-departmental\s+public\s+body|\bNDPB\b|central\s+government\s+(department|body|"
        r"organisation|contracting\s+authority)|\bDepartment\s+for\b|\bMinistry\s+of\b|HM\s+(Treasury|Revenue|Prison)|"
        r"Cabinet\s+Office|Crown\s+Commercial|in\s+scope\s+of\s+(Procurement\s+Policy\s+Note|PPN)|"
        r"(is|are)\s+an?\s+(executive\s+agency|arm's[\s-]length\s+body)|\(the\s+(Agency|Executive|Department)\)|"
        r"^[A-Z][\w,&' -]+\s(Agency|Executive)\s*$",
        re.IGNORECASE,
    ),
    "local_authority": re.compile(
        r"\b(County|City|District|Borough|Town|Parish|Unitary)\s+Council\b|\bthe\s+Council\b|local\s+authority|"
        r"\bCouncil's\b|combined\s+authority",
        re.IGNORECASE,
    ),
}
MONTHS = {
    m: i
    for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september")
        + ("october", "november", "december"),
        1,
    )
}
DATE_TEXT = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+(20\d\d)\b",
    re.IGNORECASE,
)
DATE_ISO = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b|\b(\d{1,2})/(\d{1,2})/(20\d\d)\b")
ISSUE_CUE = re.compile(
    r"(date\s+of\s+issue|issue\s+date|date\s+issued|issued(\s+on)?|publication\s+date|published(\s+on)?|"
    r"\bdated?)\s*[:\-]?\s*$",
    re.IGNORECASE,
)
NOT_ISSUE = re.compile(
    r"(closing|deadline|return|start|commencement|submission|completion|end|expiry|award|contract|review)\s+date\s*[:\-]?\s*$",
    re.IGNORECASE,
)
PROCEDURAL_CUE = re.compile(
    r"deadline|submi(t|tted|ssion)|returned\s+by|closing|clarification|by\s+\d{1,2}[:.]\d\d|noon|"
    r"tender\s+(return|deadline)|tenders?\s+must\s+be",
    re.IGNORECASE,
)
MONEY = re.compile(
    r"£\s?(\d[\d,]*(?:\.\d+)?)\s*(bn|billion|m\b|million|k\b)?",
    re.IGNORECASE,
)
VALUE_CUE = re.compile(
    r"(estimated|total|indicative|aggregate|overall|maximum|whole[\s-]life|pre-tender|contract|framework|"
    r"anticipated|expected)\s+(total\s+)?(contract\s+)?(value|expenditure|spend|budget|estimate|cost)|"
    r"(is|are)\s+(estimated|valued|expected)\s+(at|to\s+be)|maximum\s+budget|(council|authority|agency|trust|"
    r"board)'s\s+estimate|value\s+of\s+(the\s+)?(contract|framework|call-offs)|estimated\s+at|"
    r"regulated\s+procurement|contract\s+(value\s+)?(exceeds|is\s+valued\s+above|is\s+above)|"
    r"(contract|framework)\s+is\s+valued\s+(above|over|at)|total\s+value",
    re.IGNORECASE,
)
VALUE_LOWER_BOUND = re.compile(r"(exceeds|above|over|more\s+than)\s*$", re.IGNORECASE)
NOT_VALUE = re.compile(
    r"insurance|liabilit|indemnit|turnover|damages|threshold|contracts\s+(over|above)|(over|above|below|up\s+to|"
    r"between)\s*$|per\s+(hour|passenger|quality|year|annum|person)|\bfor\s+(all|every|any)\b|subcontract|"
    r"quotations?|affordability|cost\s+per|rate",
    re.IGNORECASE,
)
ACT_2023 = re.compile(r"Procurement\s+Act\s+2023|\bPA\s?2023\b|\bPA23\b", re.IGNORECASE)
PCR_2015 = re.compile(
    r"Public\s+Contracts\s+Regulations\s+2015|\bPCR\s?2015\b|Concession\s+Contracts\s+Regulations",
    re.IGNORECASE,
)
PSR = re.compile(r"Provider\s+Selection\s+Regime", re.IGNORECASE)

NATION_NAMES = {
    "england": "England",
    "scotland": "Scotland",
    "wales": "Wales",
    "northern_ireland": "Northern Ireland",
}
BODY_NAMES = {
    "central_government": "central government body",
    "nhs": "NHS body",
    "local_authority": "local authority",
    "other": "public body",
}


REGIME_NAMES = {
    "procurement_act_2023": "Procurement Act 2023",
    "pcr_2015": "Public Contracts Regulations 2015",
    "psr": "Provider Selection Regime",
    "scotland": "Scottish procurement rules",
}


@dataclass(frozen=True)
class Context:
    """What the document implies about the rules that apply to it."""

    nation: str = "england"  # england | scotland | wales | northern_ireland
    body: str = "other"  # central_government | nhs | local_authority | other
    date: dt.date | None = None
    date_basis: str = ""  # "stated" (issue date on the document), "procedural" (deadline), ""
    value_gbp: float | None = None
    value_is_lower_bound: bool = False
    regime: str = ""  # "procurement_act_2023" | "pcr_2015" | "psr" | ""

    @property
    def jurisdiction(self) -> str:
        """One word for flags and the jurisdiction notes: the devolved nation wins over the body."""
        if self.nation != "england":
            return self.nation
        if self.body in ("central_government", "nhs"):
            return self.body
        return "england"

    def details(self) -> list[str]:
        """Plain words for the report's context line: body and nation, date, value, regime."""
        parts = [
            f"{BODY_NAMES.get(self.body, 'public body')} in {NATION_NAMES.get(self.nation, self.nation)}"
        ]
        if self.date:
            parts.append(f"dated {self.date.day} {self.date.strftime('%B %Y')}")
        if self.value_gbp:
            parts.append(
                f"estimated value {'over ' if self.value_is_lower_bound else ''}{money(self.value_gbp)}"
            )
        if self.regime in REGIME_NAMES:
            parts.append(REGIME_NAMES[self.regime])
        return parts

    def to_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.jurisdiction,
            "nation": self.nation,
            "body": self.body,
            "date": self.date.isoformat() if self.date else None,
            "date_basis": self.date_basis,
            "value_gbp": self.value_gbp,
            "value_is_lower_bound": self.value_is_lower_bound,
            "regime": self.regime,
        }


def money(value: float) -> str:
    if value >= 1_000_000:
        m = value / 1_000_000
        return f"£{m:.1f} million".replace(".0 million", " million")
    return f"£{value:,.0f}"


def _dates(text: str) -> list[tuple[int, dt.date]]:
    out = []
    for m in DATE_TEXT.finditer(text):
        try:
            out.append(
                (m.start(), dt.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1))))
            )
        except ValueError:
            continue
    for m in DATE_ISO.finditer(text):
        try:
            if m.group(1):
                out.append((m.start(), dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
            else:
                out.append((m.start(), dt.date(int(m.group(6)), int(m.group(5)), int(m.group(4)))))
        except ValueError:
            continue
    return sorted(out)


def detect_date(text: str) -> tuple[dt.date | None, str]:
    """The document's date: a labelled issue date near the top, else the earliest procedural
    date (tender deadline, clarification date), else none."""
    head = text[:3000]
    for pos, date in _dates(head):
        before = head[max(0, pos - 40) : pos]
        if ISSUE_CUE.search(before) and not NOT_ISSUE.search(before):
            return date, "stated"
    procedural = [
        date
        for pos, date in _dates(text)
        if PROCEDURAL_CUE.search(text[max(0, pos - 120) : pos + 40])
    ]
    if procedural:
        return min(procedural), "procedural"
    return None, ""


def detect_value(text: str) -> tuple[float | None, bool]:
    """The contract's estimated value in pounds when the text states it (largest stated value;
    "contract value exceeds £5 million" gives a lower bound)."""
    best: float | None = None
    lower = False
    for m in MONEY.finditer(text):
        before = text[max(0, m.start() - 90) : m.start()]
        sentence = re.split(r"(?<=[.;:])\s", before)[-1]
        if (
            not VALUE_CUE.search(sentence)
            or NOT_VALUE.search(sentence[-45:])
            and not VALUE_LOWER_BOUND.search(sentence)
        ):
            continue
        if re.search(r"insurance|liabilit|indemnit|turnover|damages", sentence, re.IGNORECASE):
            continue
        amount = float(m.group(1).replace(",", ""))
        unit = (m.group(2) or "").lower()
        amount *= {"bn": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "k": 1e3}.get(unit, 1.0)
        if amount < 1000:
            continue
        is_lower = bool(VALUE_LOWER_BOUND.search(sentence))
        if best is None or amount > best:
            best, lower = amount, is_lower
    return best, lower


def detect_context(tender: Tender) -> Context:
    """Nation, buyer type, date, value and procurement regime implied by the document's text."""
    text = tender.text[:300_000]
    if not text.strip():
        return Context()
    cleaned = NOT_NATION.sub(" ", text)
    counts = {name: len(p.findall(cleaned)) for name, p in NATION_CUES.items()}
    nation, hits = max(counts.items(), key=lambda kv: kv[1])
    if hits < 2 or sorted(counts.values())[-2] * 2 > hits:
        nation = "england"
    head = (tender.buyer or "") + "\n" + text[:4000]
    body = "other"
    for name in ("nhs", "central_government", "local_authority"):
        if BODY_CUES[name].search(head):
            body = name
            break
    else:
        body_counts = {name: len(p.findall(text)) for name, p in BODY_CUES.items()}
        name, n = max(body_counts.items(), key=lambda kv: kv[1])
        if n >= 2:
            body = name
    date, basis = detect_date(text)
    value, lower = detect_value(text)
    regime = ""
    if nation == "scotland":
        regime = "scotland"
    elif PSR.search(text):
        regime = "psr"
    elif ACT_2023.search(text) and not PCR_2015.search(text):
        regime = "procurement_act_2023"
    elif PCR_2015.search(text) and not ACT_2023.search(text):
        regime = "pcr_2015"
    elif date:
        regime = "procurement_act_2023" if date >= dt.date(2025, 2, 24) else "pcr_2015"
    return Context(nation, body, date, basis, value, lower, regime)


def detect_jurisdiction(tender: Tender) -> str:
    """Kept for callers of the first version: the jurisdiction word of ``detect_context``."""
    return detect_context(tender).jurisdiction


# --- the dimensions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pools:
    """The clauses a dimension may draw on."""

    all: tuple[AssessedClause, ...]
    sv: tuple[AssessedClause, ...]  # about this tender (not background)
    subs: tuple[AssessedClause, ...]  # firm evidence about this tender (weight rows included)
    body: tuple[AssessedClause, ...]  # firm evidence other than weight rows
    weak: tuple[AssessedClause, ...]  # the rest of the clauses about this tender

    @classmethod
    def of(cls, clauses: Sequence[AssessedClause], weight_pct: float | None = None) -> Pools:
        sv = tuple(c for c in clauses if c.role != "background")
        substantive = [c for c in sv if c.label == "substantive"]
        # A substantive tender (a substantive clause beyond a weight row, or a weight of 10%
        # or more): its firm token clauses (not hedged, not unscored) count as evidence too,
        # since a clause can pass only one of the guide's tests and still show, say, a word
        # limit. A token tender reaches level 1 at most on D2-D8.
        opened = sum(c.role != "weight" for c in substantive) >= 2 or (weight_pct or 0) >= 10
        subs = tuple(c for c in sv if c.label == "substantive" or (opened and _firm(c)))
        return cls(
            tuple(clauses),
            sv,
            subs,
            tuple(c for c in subs if not _weight_row(c)),
            tuple(c for c in sv if c not in subs),
        )


def _weight_row(c: AssessedClause) -> bool:
    """A clause that only states a weight (a KPI table row the classifier took for a weight
    row is still evidence of contract management)."""
    text = c.clause.text
    return c.role == "weight" and not (
        KPI.search(text) or REMEDY.search(text) or INCORPORATED.search(text)
    )


def _firm(c: AssessedClause) -> bool:
    text = c.clause.text
    return not (HEDGE.search(text) or UNSCORED.search(text) or _has(c, "modal_hedge", "unscored"))


def _find(
    pool: Sequence[AssessedClause], *patterns: Pattern, unless: Pattern | None = None
) -> list[str]:
    """Ids of the clauses matching every pattern (and not ``unless``)."""
    return [
        c.clause.id
        for c in pool
        if all(p.search(c.clause.text) for p in patterns)
        and not (unless and unless.search(c.clause.text))
    ]


def _where(
    pool: Sequence[AssessedClause], predicate: Callable[[AssessedClause], bool]
) -> list[str]:
    return [c.clause.id for c in pool if predicate(c)]


def _has(c: AssessedClause, *names: str) -> bool:
    return any(n in c.signals for n in names)


def _first(*groups: Sequence[str], limit: int = 4) -> list[str]:
    return list(dict.fromkeys(i for g in groups for i in g))[:limit]


Level = tuple[int, list[str]]


def _d1(p: Pools, weight: SocialValueWeight, tender_text: str, flags: list[str]) -> Level:
    pct = weight.effective_pct
    weight_ids = _where(p.sv, lambda c: c.role == "weight")
    if pct is None or weight.basis == "pass_fail":
        integrated = _find(p.subs, INTEGRATED)
        if integrated or (p.subs and INTEGRATED.search(tender_text)):
            flags.append("sv_integrated")
            return 2, integrated[:3] or weight_ids[:2]
        return 0, _where(p.sv, lambda c: _has(c, "unscored", "pass_fail") or c.role == "weight")[:3]
    level = 1 if pct < 5 else 2 if pct < 10 else 3 if pct < 15 else 4 if pct < 20 else 5
    ids = weight_ids or [
        c.clause.id
        for c in p.all
        if any(e.text and e.text[:60] in c.clause.text for e in weight.evidence)
    ]
    return level, ids[:4]


def _d2(p: Pools, flags: list[str]) -> Level:
    named = _where(p.subs, lambda c: bool(NAMED.search(c.clause.text)) or _has(c, "named_measure"))
    specific = _where(
        p.body,
        lambda c: (
            _has(c, "measurable_target", "priority_groups", "named_measure")
            or bool(QUANTIFY.search(c.clause.text))
        ),
    )
    if _find(p.sv, WISH_LIST):
        flags.append("wish_list")
    menu = _find(p.sv, MENU)
    if named or specific:
        focused = not menu and "wish_list" not in flags
        if focused and (named or len(specific) >= 2):
            return 3, _first(_find(p.body, SELECTED)[:1], named[:2], specific[:2])
        return 2, _first(menu[:1], named[:2], specific[:2])
    themes = _find(p.all, THEMES)
    if themes:
        return 1, themes[:2]
    return 0, []


def _d3(p: Pools) -> Level:
    targets = _where(
        p.body, lambda c: _has(c, "measurable_target") or bool(QUANTIFY.search(c.clause.text))
    )
    # the evidence standard belongs to the ask (what bidders commit to and how it will be
    # proved), not only to the contract's reporting clause
    asked = [c for c in p.body if c.role != "contract"]
    evidence = _find(asked, EVIDENCE)
    baseline = _find(p.body, BASELINE)
    if targets and evidence and baseline:
        return 3, _first(targets[:2], evidence[:1], baseline[:1])
    if targets:
        return 2, targets[:3]
    asks = _find([c for c in p.weak if c.role != "weight"], QUANTIFY)
    if asks:
        return 1, asks[:2]
    return 0, []


def _d4(p: Pools, weight: SocialValueWeight) -> Level:
    holistic = _find(p.sv, HOLISTIC)
    pool = [c for c in p.subs if c.role != "contract"]
    method = _find(pool, CRITERIA) + _find(pool, SCALE, unless=GENERIC_SCALE)
    limits = _find(pool, WORD_LIMIT, unless=NO_LIMIT)
    plans = _find(pool, PLAN)
    combine = _find(pool, COMBINE)
    if method and ((limits and plans) or (combine and (limits or plans))):
        return 3, _first(method[:2], limits[:1], plans[:1], combine[:1])
    if method:
        return 2, _first(method[:2], limits[:1])
    scored = weight.effective_pct is not None and weight.effective_pct > 0
    generic = (
        _find(p.sv, GENERIC_SCALE) + _find(p.sv, WORD_LIMIT, unless=NO_LIMIT) + _find(p.weak, SCALE)
    )
    if (scored or generic and not _find(p.sv, UNSCORED)) and not holistic:
        return 1, _first(generic, _where(p.sv, lambda c: c.role == "weight"), limit=2)
    return 0, holistic[:1]


def _d5(p: Pools) -> Level:
    additional = _find(p.body, ADDITIONAL) + _where(p.body, lambda c: _has(c, "additionality"))
    tied = _find(p.body, TIED)
    reasoned = _find(p.body, PROPORTIONATE) + _find(p.body, RELEVANT_TO)
    if additional and reasoned:
        return 3, _first(additional[:2], reasoned[:1])
    if additional or tied:
        return 2, _first(additional[:2], tied[:2], limit=3)
    generic = _find(p.weak, ADDITIONAL, unless=UNSCORED) + _find(p.all, NONE_REASONED)
    if generic:
        return 1, generic[:2]
    return 0, _find(p.sv, CORE_AS_SV)[:1]


def _d6(p: Pools) -> Level:
    contract = _where(
        p.body, lambda c: c.role == "contract" or bool(INCORPORATED.search(c.clause.text))
    )
    incorporated = _find(p.body, INCORPORATED)
    reporting = _find(p.body, REPORTING, FREQUENCY) + _find(p.body, KPI)
    remedies = _find(p.body, REMEDY) + _where(p.body, lambda c: _has(c, "remedy"))
    if (incorporated or contract) and reporting and remedies:
        return 3, _first(incorporated[:1] or contract[:1], reporting[:1], remedies[:1])
    if (incorporated or contract) and (reporting or _find(p.body, REPORTING)):
        return 2, _first(
            incorporated[:1] or contract[:1], reporting[:1] or _find(p.body, REPORTING)[:1]
        )
    pool = [c for c in p.weak if c.role != "weight" and not UNSCORED.search(c.clause.text)]
    weak = (
        _where(pool, lambda c: c.role == "contract")
        + _find(pool, REPORTING)
        + contract
        + _find(p.body, REPORTING)
    )
    if weak:
        return 1, _first(weak, limit=2)
    return 0, []


def _d7(p: Pools) -> Level:
    area = _find(p.body, AREA)
    groups = _find(p.body, GROUPS) + _where(p.body, lambda c: _has(c, "priority_groups"))
    needs = _find(p.body, NEEDS)
    if (area or groups) and needs:
        return 3, _first(area[:1], groups[:1], needs[:1])
    if area or groups:
        return 2, _first(area[:2], groups[:2], limit=3)
    local = _find(p.sv, LOCAL) + _find(p.weak, AREA) + _find(p.weak, GROUPS)
    if local:
        return 1, local[:2]
    return 0, []


def _d8(p: Pools) -> Level:
    reserved = _find(p.body, RESERVED)
    found: dict[str, list[str]] = {}
    for name, pattern in MECHANISM:
        ids = [
            c.clause.id
            for c in p.body
            if pattern.search(c.clause.text)
            and (
                SME.search(c.clause.text)
                or name in ("lots", "subcontract_advertising", "prompt_payment")
            )
        ]
        if ids:
            found[name] = ids
    mechanism_ids = list(dict.fromkeys(i for ids in found.values() for i in ids))
    if reserved or (len(found) >= 2 and len(mechanism_ids) >= 2):
        return 3, _first(reserved, mechanism_ids, limit=3)
    if found:
        return 2, mechanism_ids[:2]
    generic = _find(p.all, SME) + [
        c.clause.id for c in p.all for _, pattern in MECHANISM[:3] if pattern.search(c.clause.text)
    ]
    if generic:
        return 1, _first(generic, limit=2)
    return 0, []


def score_dimensions(
    clauses: Sequence[AssessedClause], weight: SocialValueWeight, tender_text: str
) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """(level, evidence ids) for D1..D8, and the flags raised on the way."""
    flags: list[str] = []
    pools = Pools.of(clauses, weight.effective_pct)
    levels = [
        _d1(pools, weight, tender_text, flags),
        _d2(pools, flags),
        _d3(pools),
        _d4(pools, weight),
        _d5(pools),
        _d6(pools),
        _d7(pools),
        _d8(pools),
    ]
    if _find(pools.sv, LOCAL_PREFERENCE):
        flags.append("local_preference_risk")
    if _find(pools.sv, MONETISED) and levels[3][0] < 2:
        flags.append("monetised_only")
    return [(lvl, list(dict.fromkeys(ids))) for lvl, ids in levels], flags


# --- score ------------------------------------------------------------------------------------------


def score(
    tender: Tender,
    clauses: Sequence[AssessedClause],
    weight: SocialValueWeight,
    weigh_flags: Sequence[str] = (),
) -> tuple[Verdict, int, str, list[DimensionScore], list[str], list[Recommendation]]:
    """Verdict, 0-100 score, band, dimensions, flags and recommendations."""
    rubric = load_rubric()
    verdict = verdict_of(clauses)
    levels, flags = (
        score_dimensions(clauses, weight, tender.text) if clauses else ([(0, [])] * 8, [])
    )
    dimensions: list[DimensionScore] = []
    for spec, (level, ids) in zip(rubric.dimensions, levels, strict=True):
        max_level = len(spec["levels"]) - 1
        if "level_points" in spec:
            points = float(spec["level_points"][level])
        else:
            points = round(spec["points"] * level / max_level, 1)
        dimensions.append(
            DimensionScore(
                id=spec["id"],
                name=spec["name"],
                level=level,
                max_level=max_level,
                score=points,
                max=float(spec["points"]),
                evidence=tuple(ids),
                why=spec["levels"][level],
            )
        )
    total = int(round(sum(d.score for d in dimensions)))
    context = detect_context(tender)
    flags = list(dict.fromkeys([*flags, *weigh_flags, *_context_flags(weight, clauses, context)]))
    recommendations = recommend(rubric, dimensions, context, verdict, weight, flags)
    return verdict, total, rubric.band(total), dimensions, flags, recommendations


def _context_flags(
    weight: SocialValueWeight, clauses: Sequence[AssessedClause], context: Context
) -> list[str]:
    flags = []
    if clauses and all(c.role == "background" for c in clauses):
        flags.append("policy_only_mention")
    if clauses and weight.basis == "unstated":
        flags.append("weight_unstated")
    if weight.basis == "pass_fail":
        flags.append("pass_fail_only")
    if clauses and _floor_applies(context) and (weight.effective_pct or 0) < 10:
        flags.append("central_gov_floor_breach")
    if clauses and _below_threshold(context):
        flags.append("below_threshold")
    if clauses:
        flags.append(f"jurisdiction:{context.jurisdiction}")
    return flags


def _below_threshold(context: Context) -> bool:
    """Whether the stated value is below the services threshold for the buyer and date (the
    comparison ignores VAT, so a value just under the threshold is reported as "appears")."""
    if context.value_gbp is None or context.value_is_lower_bound or context.nation == "scotland":
        return False
    new = context.date is not None and context.date >= dt.date(2026, 1, 1)
    if context.body == "central_government":
        threshold = 135_018 if new else 139_688
    else:
        threshold = 207_720 if new else 214_904
    return context.value_gbp < threshold


def _floor_applies(context: Context) -> bool:
    """Whether a published 10% minimum binds this buyer at the document's date."""
    date = context.date
    if _below_threshold(context):
        return False
    if context.nation == "northern_ireland":
        return date is None or date >= dt.date(2022, 6, 1)
    if context.nation != "england":
        return False
    if context.body == "central_government":
        return date is None or date >= dt.date(2021, 1, 1)
    if context.body == "nhs":
        return date is None or date >= dt.date(2022, 4, 1)
    return False


# --- recommendations ------------------------------------------------------------------------------


def _fill(template: str, context: Context, weight: SocialValueWeight | None) -> str:
    pct = weight.effective_pct if weight is not None else None
    values = {
        "value": money(context.value_gbp) if context.value_gbp else "",
        "weight": f"{pct:g}%" if pct is not None else "no stated weight",
        "date": f"{context.date.day} {context.date.strftime('%B %Y')}" if context.date else "",
    }
    return template.format(**values).strip()


def priority(dim: DimensionScore, weight: SocialValueWeight | None = None) -> str:
    """ "weak" (recommend first), "partial" (a next step) or "" (nothing to recommend)."""
    if dim.id == "D1":
        pct = weight.effective_pct if weight is not None else None
        if weight is None:
            return "weak" if dim.level < 3 else ""
        return "weak" if pct is None or pct < 10 else ""
    if dim.level <= 1 or dim.level < dim.max_level - 1:
        return "weak"
    if dim.level < dim.max_level:
        return "partial"
    return ""


def _jurisdiction_rule(rubric: Rubric, context: Context) -> tuple[str, str, str] | None:
    """(text, source, url) of the rule of the nation/body and date, if one applies."""
    rules = rubric.jurisdictions
    key = context.jurisdiction
    spec = rules.get(key)
    if not spec:
        return None
    if _below_threshold(context) and spec.get("below_threshold"):
        return (
            _fill(spec["below_threshold"], context, None),
            spec.get("source", ""),
            spec.get("url", ""),
        )
    date = context.date
    for variant in spec.get("by_date", []):
        start = variant.get("from")
        until = variant.get("until")
        if date is None:
            if variant.get("undated", False):
                return (
                    variant["text"],
                    variant.get("source", spec.get("source", "")),
                    variant.get("url", spec.get("url", "")),
                )
            continue
        if (start is None or date >= _as_date(start)) and (until is None or date < _as_date(until)):
            return (
                variant["text"],
                variant.get("source", spec.get("source", "")),
                variant.get("url", spec.get("url", "")),
            )
    return spec["summary"], spec.get("source", ""), spec.get("url", "")


def _source_note(source: str, context: Context) -> str:
    """Say where a cited law does not bind this buyer (it stays good practice)."""
    if "Procurement Act 2023" in source:
        if context.nation == "scotland":
            return f"{source} (not in force for devolved Scottish procurement; good practice)"
        if context.regime == "pcr_2015":
            return f"{source} (for procurements begun from 24 February 2025; good practice before)"
    if source.startswith("Public Services (Social Value) Act 2012") and context.nation in (
        "scotland",
        "northern_ireland",
    ):
        return f"{source} (England and Wales; good practice elsewhere)"
    return source


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def recommend(
    rubric: Rubric,
    dimensions: Sequence[DimensionScore],
    context: Context,
    verdict: Verdict,
    weight: SocialValueWeight,
    flags: Sequence[str] = (),
) -> list[Recommendation]:
    """Recommendations for the weak dimensions, most valuable first, adapted to the context and
    each with one or two good-practice examples from the corpus."""
    exemplars = load_exemplars()
    out: list[Recommendation] = []
    weak = [d for d in dimensions if priority(d, weight)]
    # weak dimensions before partial ones; within each, D1 first, then most points lost
    weak.sort(key=lambda d: (priority(d, weight) != "weak", d.id != "D1", -(d.max - d.score), d.id))
    for dim in weak:
        spec = rubric.dimension(dim.id)
        partial = dim.level >= 2 and "recommendation_partial" in spec
        text = _fill(
            spec["recommendation_partial" if partial else "recommendation"], context, weight
        )
        source, url = spec.get("source", ""), spec.get("url", "")
        if dim.id == "D1":
            rule = _jurisdiction_rule(rubric, context)
            if rule:
                text = f"{text} {rule[0]}"
                source, url = rule[1] or source, rule[2] or url
        source = _source_note(source, context)
        examples = _examples(exemplars, dim.id, context)
        out.append(Recommendation(dim.id, text, source, examples=tuple(examples), url=url))
    # contract-level rules that hinge on the value the document states
    value = context.value_gbp
    d6 = next((d for d in dimensions if d.id == "D6"), None)
    act_applies = (
        context.nation != "scotland"
    )  # the Procurement Act 2023 does not cover devolved Scottish buyers
    if (
        act_applies
        and value is not None
        and value > 5_000_000
        and d6 is not None
        and d6.level < d6.max_level
    ):
        large = rubric.dimension("D6")["recommendation_large"]
        text = _fill(large["text"], context, weight)
        if context.regime == "pcr_2015":
            text = f"{text} {large['pcr_note']}"
        out.append(Recommendation("D6", text, large["source"], url=large.get("url", "")))
    scot = rubric.jurisdictions.get("scotland", {}).get("community_benefit_duty")
    if context.nation == "scotland" and scot and verdict != "substantive":
        if value is not None and value >= 4_000_000:
            text = _fill(scot["text_over"], context, weight)
        elif value is not None and not context.value_is_lower_bound:
            text = _fill(scot["text_under"], context, weight)
        else:
            text = _fill(scot["text_unknown"], context, weight)
        out.append(Recommendation("D2", text, scot["source"], url=scot.get("url", "")))
    if verdict == "absent" and not any(r.dimension == "D1" for r in out):
        rule = _jurisdiction_rule(rubric, context)
        if rule:
            out.insert(0, Recommendation("D1", rule[0], rule[1], url=rule[2]))
    return out


def _examples(
    exemplars: dict[str, list[dict[str, Any]]], dim_id: str, context: Context, n: int = 2
) -> list[dict[str, Any]]:
    """One or two exemplars for the dimension, those from the same nation first."""
    pool = exemplars.get(dim_id, [])
    if not pool:
        return []
    same = [e for e in pool if e.get("nation") == context.nation]
    other = [e for e in pool if e.get("nation") != context.nation]
    return (same[:1] + other + same[1:])[:n]
