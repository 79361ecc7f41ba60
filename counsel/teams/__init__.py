"""Teams: identities, sealed signed grants of a team key, roles, safety codes, membership."""
