"""The Contacts page."""
