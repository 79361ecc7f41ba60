"""The Clients page, the client page and its editors."""
