"""The audit trail viewer (issue 16)."""
