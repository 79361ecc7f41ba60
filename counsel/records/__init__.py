"""Records management (issue 16): what a data-protection officer asks of Counsel.

Shared by two areas; each module belongs to one of them:

- audit trail, consent and disclosure log, erasure of derived traces (``audit``,
  ``auditchain``, ``disclosure``, ``consent``, ``erasure_traces``);
- the client's rights and retention (subject-access export, retention schedules; modules of
  their own here).

The one way to leave an audit entry is ``vault.audit.record(kind, client_id=…,
record_id=…, detail=…)`` with ``kind`` one of ``counsel.records.audit.KINDS``
("view", "edit", "print", "export", "share", "erase", …).  Entries hold ids, kinds and short
labels of what was done, never case content.
"""
