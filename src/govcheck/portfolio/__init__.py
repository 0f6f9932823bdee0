"""The scale-readiness review: each pilot judged at its next gate, verdicts, reports."""
