"""Named queries for the retention review, run where the data is (the working set's SQL):
no record is decrypted or built.  :mod:`counsel.records.retention` decides what is due;
these count current records per client and kind.  Use through ``vault.retention``.

When a client relationship ended: the client's ``ended`` date; for a client marked
inactive without one, the last day anything happened (their latest encounter or work
entry, else the start); an active client without an end date has not ended.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from counsel.vault.current import StepQueries

#: ?1 JSON {kind: last end date still due}, ?2 JSON list of clients on hold.
#: One row per (client, kind) of every ended client not on hold: the end date, how many
#: current records of the kind, and whether the kind's schedule has run out.
_ENDED = """
WITH ends AS MATERIALIZED (
  SELECT cr.record_id AS client, COALESCE(cr.data->>'$.ended', CASE WHEN c.active = 0 THEN
         COALESCE((SELECT MAX(d) FROM (
                     SELECT MAX(e.date) AS d FROM encounters e WHERE e.client = cr.record_id
                     UNION ALL
                     SELECT MAX(w.date) FROM work w WHERE w.client = cr.record_id)),
                  c.started) END) AS ended
  FROM clients c JOIN records cr ON cr.rowid = c.rowid
  WHERE cr.record_id NOT IN (SELECT value FROM json_each(?2))
), cut AS MATERIALIZED (
  SELECT key AS kind, value AS last_end FROM json_each(?1)
), k AS MATERIALIZED (
  SELECT e.client AS client, e.ended AS ended, r.kind AS kind, COUNT(*) AS n,
         MAX(e.ended <= cut.last_end) AS due
  FROM ends e JOIN records r ON r.client_id = e.client JOIN cut ON cut.kind = r.kind
  WHERE e.ended IS NOT NULL
  GROUP BY e.client, r.kind
)
SELECT client, ended, kind, n, due FROM k WHERE client IN (SELECT client FROM k WHERE due)
ORDER BY ended, client, kind
"""


class RetentionQueries(StepQueries):
    def ended_counts(self, last_end: Mapping[str, str],
                     held: Iterable[str]) -> list[tuple[str, str, str, int, bool]]:
        """(client, end date, kind, current records, due) of every client with something
        due: ``last_end`` maps a kind to the last end date whose records are due (ISO);
        clients in ``held`` are left out."""
        return [(str(c), str(end), str(k), int(n), bool(due)) for c, end, k, n, due in
                self._rows(_ENDED, (json.dumps(dict(last_end)), json.dumps(sorted(held))))]

    def record_ids(self, client_id: str, kinds: Iterable[str]) -> list[str]:
        """Current records of a client of these kinds, by id."""
        wanted = sorted(set(kinds))
        return [str(r[0]) for r in self._rows(
            "SELECT record_id FROM records WHERE client_id = ? AND kind IN "
            f"({','.join('?' * len(wanted))}) ORDER BY rowid", (client_id, *wanted))]
