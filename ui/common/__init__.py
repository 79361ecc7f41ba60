"""Pieces every page area shares: background ops, errors, models, widgets, fonts, i18n."""
