# Benchmark pilot rules (bench/RULES.md) in Rego: all 20 rules.
# Query data.govbench.violations: a set of {"rule": id, "path": where, "message": why}.
# "today" for MON-002 comes from data.govbench_config.today (YYYY-MM-DD), so results are
# reproducible; the runner (bench/peers/rego_check.py) passes it.
package govbench

import rego.v1

tier_rank := {"low": 0, "moderate": 1, "high": 2, "critical": 3}[input.spec.risk_tier]

moderate_plus if tier_rank >= 1

high_plus if tier_rank >= 2

scaling_stage if input.spec.stage in {"expansion", "enterprise"}

present(x) if {
	is_string(x)
	x != ""
}

is_true(x) if x == true

at_least(xs, n) if {
	is_array(xs)
	count(xs) >= n
}

day_ns := 86400000000000

reviewed_within(days) if {
	d := input.spec.monitoring.last_review
	is_string(d)
	today := time.parse_ns("2006-01-02", data.govbench_config.today)
	today - time.parse_ns("2006-01-02", d) <= days * day_ns
}

v(rule, path, message) := {"rule": rule, "path": path, "message": message}

violations contains v("META-001", "metadata.id", "metadata.id must be a lowercase slug") if {
	not regex.match(`^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$`, input.metadata.id)
}

violations contains v("OWN-001", "spec.ownership.business_owner.name", "name the business owner") if {
	not present(input.spec.ownership.business_owner.name)
}

violations contains v("OWN-002", "spec.ownership.executive_sponsor.name", "name the executive sponsor") if {
	moderate_plus
	not present(input.spec.ownership.executive_sponsor.name)
}

violations contains v("OWN-003", "spec.ownership.post_launch_owner.name", "name who owns it after launch") if {
	moderate_plus
	not present(input.spec.ownership.post_launch_owner.name)
}

violations contains v("OWN-004", "spec.ownership.clinical_owner.name", "name the clinical owner") if {
	high_plus
	not present(input.spec.ownership.clinical_owner.name)
}

violations contains v("OPS-001", "spec.operating_model.support.runbook", "link the support runbook") if {
	moderate_plus
	not present(input.spec.operating_model.support.runbook)
}

violations contains v("WF-001", "spec.workflow.human_review.required", "human review must be required") if {
	moderate_plus
	not is_true(input.spec.workflow.human_review.required)
}

violations contains v("DATA-001", "spec.data.quality_checks", "declare at least one data quality check") if {
	moderate_plus
	not at_least(input.spec.data.quality_checks, 1)
}

violations contains v("DATA-002", "spec.data.identifiers.reconciled_across_sites", "reconcile identifiers across sites") if {
	scaling_stage
	not is_true(input.spec.data.identifiers.reconciled_across_sites)
}

violations contains v("GOV-001", "spec.governance.risk_assessment.date", "date the risk assessment") if {
	not present(input.spec.governance.risk_assessment.date)
}

violations contains v("GOV-002", "spec.governance.approval.decision", "governance approval must be approved") if {
	moderate_plus
	not input.spec.governance.approval.decision == "approved"
}

violations contains v("GOV-003", "spec.governance.validation.report", "link the validation report") if {
	high_plus
	not present(input.spec.governance.validation.report)
}

violations contains v("GOV-004", "spec.governance.privacy_review.status", "privacy review must be approved") if {
	is_true(input.spec.scope.phi)
	not input.spec.governance.privacy_review.status == "approved"
}

violations contains v("GOV-005", "spec.governance.clinical_oversight.body", "name the clinical oversight body") if {
	is_true(input.spec.scope.clinical_decision_support)
	not present(input.spec.governance.clinical_oversight.body)
}

violations contains v("GOV-006", "spec.governance.incident_response.runbook", "link the incident response runbook") if {
	high_plus
	not present(input.spec.governance.incident_response.runbook)
}

violations contains v("GOV-007", "spec.governance.audit_logging", "audit logging must be on") if {
	high_plus
	not is_true(input.spec.governance.audit_logging)
}

violations contains v("MON-001", "spec.monitoring.metrics", "declare at least one monitoring metric") if {
	moderate_plus
	not at_least(input.spec.monitoring.metrics, 1)
}

violations contains v("MON-002", "spec.monitoring.last_review", "review monitoring at least every 90 days") if {
	high_plus
	not reviewed_within(90)
}

violations contains v("MET-001", "spec.success_metrics", "declare at least two success metrics") if {
	moderate_plus
	not at_least(input.spec.success_metrics, 2)
}

violations contains v("MET-002", sprintf("spec.success_metrics[%d].%s", [i, field]), "give every success metric a baseline and a target") if {
	some i, metric in input.spec.success_metrics
	some field in ["baseline", "target"]
	object.get(metric, field, null) == null
}
