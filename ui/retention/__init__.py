"""The Retention review page."""
