"""The Employers page: employers, open roles, matching and proposals."""
