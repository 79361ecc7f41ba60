"""Time and indicators: visible vs background work, calendar import, reminders.

Pure functions over domain records, returning frozen dataclasses; no vault needed:

* :mod:`~counsel.timekeeping.split` — minutes to days and periods (the conventions);
* :mod:`~counsel.timekeeping.reports` — the counsellor's own visible/background report;
* :mod:`~counsel.timekeeping.aggregate` — the manager's view, small cells suppressed;
* :mod:`~counsel.timekeeping.indicators`, :mod:`~counsel.timekeeping.circular` — the
  encounter method's indicators (first 90 days, interpreters, field visits, circular
  referrals);
* :mod:`~counsel.timekeeping.ics_import`, :mod:`~counsel.timekeeping.matching` —
  calendar files to reviewed proposals to work entries;
* :mod:`~counsel.timekeeping.reminders` — what is due (the "today" view);
* :mod:`~counsel.timekeeping.report_csv`, :mod:`~counsel.timekeeping.report_pdf` — output;
* :mod:`~counsel.timekeeping.cli` — ``counsel report ...`` and ``counsel import ics``.
"""
