"""Application logic the desktop app needs, free of Qt: policies, preferences, Today, drafts."""
