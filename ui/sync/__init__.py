"""The Sync page, setup dialogs and the conflict view."""
