"""The HTI-1 source attributes, where a manifest records each one, and what it cites.

45 CFR 170.315(b)(11)(iv)(A) lists 13 source attributes for evidence-based decision support
interventions (DSIs); (iv)(B) lists 31 for predictive DSIs, in nine groups. Each attribute
here has its place below ``spec.governance.regulatory.x-hti1.source_attributes`` and its
citation, copied from the framework data (``onc-hti1-dsi.yaml``) without the ``ONC HTI-1``
prefix. Titles are short paraphrases; the regulation has the exact wording.
"""

from __future__ import annotations

from typing import NamedTuple

EVIDENCE_BASED = "evidence-based"
PREDICTIVE = "predictive"
# (v)(A)(2): for a predictive DSI these may be shown as "not available for review".
UNAVAILABLE_CITE = "170.315(b)(11)(v)(A)(2)"


class Attribute(NamedTuple):
    key: tuple[str, ...]  # below source_attributes
    cite: str
    title: str
    flag: bool = False  # "whether <data> is used": recorded as true or false
    may_be_unavailable: bool = False


# (iv)(A)(5)-(13) and (iv)(B)(4)(ii): the demographic, SDOH and health-status data elements.
VARIABLES: tuple[tuple[str, str], ...] = (
    ("race", "race is"),
    ("ethnicity", "ethnicity is"),
    ("language", "language is"),
    ("sexual_orientation", "sexual orientation is"),
    ("gender_identity", "gender identity is"),
    ("sex", "sex is"),
    ("date_of_birth", "date of birth is"),
    ("sdoh", "social determinants of health data are"),
    ("health_status_assessment", "health status assessment data are"),
)

_A = "170.315(b)(11)(iv)(A)"
_B = "170.315(b)(11)(iv)(B)"


def _evidence_based() -> tuple[Attribute, ...]:
    head = (
        Attribute(
            ("bibliographic_citation",), f"{_A}(1)", "bibliographic citation of the research or guideline"
        ),
        Attribute(("developer",), f"{_A}(2)", "developer of the intervention"),
        Attribute(("funding_source",), f"{_A}(3)", "funding source of the technical implementation"),
        Attribute(("release_dates",), f"{_A}(4)", "release and revision dates"),
    )
    uses = tuple(
        Attribute(("uses", key), f"{_A}({n})", f"whether {label} used", flag=True)
        for n, (key, label) in enumerate(VARIABLES, start=5)
    )
    return head + uses


def _predictive() -> tuple[Attribute, ...]:
    def item(group: str, name: str, cite: str, title: str, unavailable: bool = False) -> Attribute:
        return Attribute((group, name), f"{_B}{cite}", title, may_be_unavailable=unavailable)

    inputs = tuple(
        Attribute(
            ("development", "input_features", key),
            f"{_B}(4)(ii)",
            f"whether {label} used as an input feature",
            flag=True,
        )
        for key, label in VARIABLES
    )
    return (
        item("details", "developer", "(1)(i)", "developer name and contact information"),
        item("details", "funding_source", "(1)(ii)", "funding source of the technical implementation"),
        item("details", "output", "(1)(iii)", "what value the intervention outputs"),
        item("details", "output_type", "(1)(iv)", "output type"),
        item("purpose", "intended_use", "(2)(i)", "intended use"),
        item("purpose", "intended_population", "(2)(ii)", "intended patient population(s)"),
        item("purpose", "intended_users", "(2)(iii)", "intended user(s)"),
        item("purpose", "decision_role", "(2)(iv)", "intended decision-making role"),
        item(
            "out_of_scope",
            "cautioned_uses",
            "(3)(i)",
            "tasks, situations or populations users are cautioned against",
        ),
        item(
            "out_of_scope",
            "risks_and_limitations",
            "(3)(ii)",
            "known risks, inappropriate uses and limitations",
        ),
        item(
            "development",
            "training_data_criteria",
            "(4)(i)",
            "inclusion and exclusion criteria of the training data",
        ),
        *inputs,
        item(
            "development",
            "training_representativeness",
            "(4)(iii)",
            "demographic representativeness of the training data",
        ),
        item(
            "development",
            "training_relevance",
            "(4)(iv)",
            "relevance of the training data to the deployment setting",
        ),
        item("fairness", "approach", "(5)(i)", "approach to making the output fair"),
        item("fairness", "bias_management", "(5)(ii)", "approaches to manage, reduce or eliminate bias"),
        item(
            "external_validation",
            "data_source",
            "(6)(i)",
            "data source and setting of the external validation",
            True,
        ),
        item("external_validation", "tester", "(6)(ii)", "party that performed the external testing", True),
        item(
            "external_validation",
            "representativeness",
            "(6)(iii)",
            "demographic representativeness of the external data",
            True,
        ),
        item(
            "external_validation",
            "process",
            "(6)(iv)",
            "description of the external validation process",
            True,
        ),
        item(
            "performance",
            "internal_validity",
            "(7)(i)",
            "validity on test data from the training data's source",
        ),
        item(
            "performance",
            "internal_fairness",
            "(7)(ii)",
            "fairness on test data from the training data's source",
        ),
        item("performance", "external_validity", "(7)(iii)", "validity on external data", True),
        item("performance", "external_fairness", "(7)(iv)", "fairness on external data", True),
        item(
            "performance",
            "outcome_evaluations",
            "(7)(v)",
            "references to evaluations of the effect on outcomes",
            True,
        ),
        item("maintenance", "validity_monitoring", "(8)(i)", "process and frequency for monitoring validity"),
        item("maintenance", "local_validity", "(8)(ii)", "validity in local data", True),
        item(
            "maintenance", "fairness_monitoring", "(8)(iii)", "process and frequency for monitoring fairness"
        ),
        item("maintenance", "local_fairness", "(8)(iv)", "fairness in local data", True),
        item("updates", "update_process", "(9)(i)", "process and frequency of updates", True),
        item(
            "updates",
            "performance_correction",
            "(9)(ii)",
            "how often performance is corrected when risks are found",
            True,
        ),
    )


TABLES: dict[str, tuple[Attribute, ...]] = {EVIDENCE_BASED: _evidence_based(), PREDICTIVE: _predictive()}
# Predictive attributes come in the regulation's nine groups, (iv)(B)(1)-(9), in this order.
PREDICTIVE_GROUPS: tuple[str, ...] = tuple(dict.fromkeys(a.key[0] for a in TABLES[PREDICTIVE]))
