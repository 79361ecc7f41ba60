"""The Plans page and the integration plan editor."""
