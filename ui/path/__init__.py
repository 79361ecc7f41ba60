"""The client's path to work: competence profile editor, timeline, matching roles."""
