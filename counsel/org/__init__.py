"""Organisation-wide things: the recovery key, master key escrow, the sealed policy."""
