"""The client's path to work (issue 17): competence history, the follow-up timeline,
matching clients and open roles with reasons and gaps, proposals with consent, and
aggregate indicators.  Qt-free; the UI is in ``counsel_ui.path`` and
``counsel_ui.employers``."""
