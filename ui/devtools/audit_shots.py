"""Render the Audit trail page (and a client's Consents tab) to PNG per interface language,
on the demo vault with a day's work audited: cards opened, a plan printed and exported, a
report exported, a disclosure to the TE office, one client erased.

    python -m counsel_ui.devtools.audit_shots --out docs/screenshots [--langs fi ar]

Writes ``<lang>-audit.png`` and ``<lang>-consents.png``.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _a_day_of_work(vault_path: Path) -> str:
    from counsel.domain import Client, Consent, PartyKind, Plan
    from counsel.records import disclosure
    from counsel.records.erasure_traces import erase_client
    from counsel.vault.service import Vault
    from counsel_ui.devtools.screenshots import DEMO_PASSPHRASE

    vault = Vault.unlock(vault_path, DEMO_PASSPHRASE)
    try:
        clients = sorted(vault.all(Client), key=lambda c: c.id)[:5]
        for c in clients[:4]:
            vault.audit.record("view", client_id=c.id, record_id=c.id, record_kind="client")
        first = clients[0]
        vault.save_many([first.replace(notes=first.notes + " ")], audited=True)
        plans = vault.of_client(Plan, first.id) or vault.all(Plan)[:1]
        for plan in plans[:1]:
            vault.audit.record("print", client_id=plan.client, record_id=plan.id,
                               record_kind="plan", detail=f"pdf standard {plan.client_language}")
            vault.audit.record("export", client_id=plan.client, record_id=plan.id,
                               record_kind="plan", detail="pdf large_print")
        vault.audit.record("export", record_kind="report", detail="csv report by client")
        vault.save(Consent(client=first.id, party=PartyKind.TE_SERVICES, scope=("plan",),
                           given=dt.date.today() - dt.timedelta(days=30)))
        vault.save(Consent(client=first.id, party=PartyKind.SOCIAL_WORKER,
                           scope=("client_file",), basis="law",
                           reference="Sosiaalihuoltolaki 1301/2014 41 §",
                           given=dt.date.today() - dt.timedelta(days=90)))
        disclosure.share(vault, first.id, PartyKind.TE_SERVICES, "plan",
                         recipient="Espoon TE-toimisto")
        erase_client(vault, clients[4].id)
        return first.id
    finally:
        vault.lock()


def render(out: Path, langs: Sequence[str], vault_path: Path, client_id: str) -> list[Path]:
    from counsel_ui.devtools.screenshots import window_shots

    def take(lang: str, win: Any, shot: Any) -> None:
        win.workspace.show_page("audit")
        shot(lang, "audit", win, 150)
        win.workspace.open_client(client_id)
        view = win.workspace.page("clients").view
        view.tabs.setCurrentWidget(view.consent_tab)
        shot(lang, "consents", win, 150)

    return window_shots(out, langs, vault_path, take)


def main(argv: Sequence[str] | None = None) -> int:
    from counsel_ui.devtools.screenshots import make_demo_vault, run_shots

    def make(args: Any, tmp: Path) -> list[Path]:
        vault_path = make_demo_vault(tmp)
        return render(args.out, args.langs, vault_path, _a_day_of_work(vault_path))

    return run_shots("python -m counsel_ui.devtools.audit_shots", argv, make)


if __name__ == "__main__":
    sys.exit(main())
