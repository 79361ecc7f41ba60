"""Render the Team page and its dialogs to PNG, per language.

    python -m counsel_ui.devtools.team_shots --out docs/screenshots [--langs fi ar]

No server: the page is given an overview made here (teams, members in every
verification state, a substitute with an end date, a supervisor, an invitation, devices
and a pinned organisation policy), the same shape ``counsel.teams.overview.load`` returns.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

PASS = "demo vault passphrase"


def sample(fingerprint_key: bytes) -> Any:
    from counsel.org.policy import OrgPolicy
    from counsel.sync.devices import Device
    from counsel.teams.membership import MemberView, TeamView
    from counsel.teams.overview import Overview

    now = time.time()
    day = 86400.0
    members = [
        MemberView("maria.virtanen", "member", None, False, ""),
        MemberView("ahmed.hassan", "member", None, False, "verified"),
        MemberView("liisa.korhonen", "substitute", now + 21 * day, False, "unverified"),
        MemberView("jukka.niemi", "supervisor", None, False, "changed"),
        MemberView("old.colleague", "member", None, True, "verified"),
    ]
    teams = [TeamView("t" * 32, "Espoo kotoutuminen", "maria.virtanen", 3, "member", members),
             TeamView("u" * 32, "Vantaa TE-palvelut", "ahmed.hassan", 1, "substitute",
                      [MemberView("ahmed.hassan", "member", None, False, "verified"),
                       MemberView("maria.virtanen", "substitute", now + 30 * day, False, "")])]
    devices = [Device("d1" * 16, "Työläppäri", now - 400 * day, now - 60, None, True),
               Device("d2" * 16, "Kotikone", now - 90 * day, now - 3 * day, None, False),
               Device("d3" * 16, "Vanha tabletti", now - 700 * day, now - 200 * day,
                      now - 150 * day, False)]
    policy = OrgPolicy("espoo", "Espoon kaupunki", fingerprint_key, "if_synced")
    return Overview("maria.virtanen", teams, [teams[1]], devices, policy, [])


def render(out: Path, langs: Sequence[str], folder: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from counsel.domain import Client
    from counsel.vault.kdf import KdfParams
    from counsel.vault.service import Vault
    from counsel_ui.common.i18n import apply_language
    from counsel_ui.devtools.screenshots import Shots
    from counsel_ui.shell.session import Session
    from counsel_ui.team import dialogs
    from counsel_ui.team.page import TeamPage

    app = QApplication.instance() or QApplication([])
    shot = Shots(app, out)
    vault, _code = Vault.create(folder / "team.vault", PASS, kdf=KdfParams.fast_for_tests())
    client = Client(id="c" * 32, name="أحمد السيد", preferred_name="Ahmad")
    vault.save(client)
    data = sample(bytes(range(32)))
    for lang in langs:
        apply_language(app, lang)
        session = Session(vault)
        session.current_client = client.id
        page = TeamPage(session, loader=lambda _v: data)
        page.resize(1000, 900)
        page.share_client(client.id)  # come from the client's card: "Share with a team…"
        page.show()
        shot(lang, "team", page)
        page.team_boxes[0].members.selectRow(2)
        box = dialogs.SafetyCodeDialog(page, "liisa.korhonen", "482 193 075 618 204 937",
                                       "unverified")
        box.show()
        shot(lang, "team-safety-code", box)
        box.reject()
        from counsel_ui.team.page import _day

        share = dialogs.share_box(page, data.teams[0], "Ahmad", data.account, _day)
        share.show()
        shot(lang, "team-share", share)
        share.reject()
        from counsel.teams import overview

        home = dialogs.move_home_box(page, "Ahmad", overview.move_home_warning(
            data.teams[0].name, data.teams[0], "Ahmad", data.account, _day))
        home.show()
        shot(lang, "team-move-home", home)  # a team client's card: "Move to my vault…"
        home.reject()
        listed = dialogs.team_clients_box(page, data.teams[0], data.account,
                                          ["أحمد السيد", "Hodan Farah", "Nguyen Van An"])
        listed.show()
        shot(lang, "team-clients", listed)
        listed.reject()
        revoke = dialogs.revoke_box(page, data.devices[1], data.policy)
        revoke.show()
        shot(lang, "team-revoke", revoke)
        revoke.reject()
        page.close()
        page.deleteLater()
        render_clients(app, shot, lang, folder)
        render_time(shot, lang, folder)
    vault.lock()
    return shot.written


def render_clients(app: Any, shot: Any, lang: str, folder: Path) -> None:
    """The client list with a team's clients beside one's own, and a team client's card
    (``<lang>-clients-team.png``, ``<lang>-clients-team-card.png``)."""
    import datetime as dt

    from counsel.domain import Client, Encounter, LanguageSkill
    from counsel.teams.membership import team_path
    from counsel.teams.vaultset import VaultSet, remember_name
    from counsel.vault import keys
    from counsel.vault.kdf import KdfParams
    from counsel.vault.service import Vault
    from counsel_ui.clients.page import ClientsPage
    from counsel_ui.common import ops
    from counsel_ui.shell.session import Session

    fast = KdfParams.fast_for_tests()
    where = folder / f"clients-{lang}"
    personal, _code = Vault.create(where / "personal.vault", PASS, kdf=fast)
    personal.save_many([
        Client(id="a" * 32, name="Hodan Farah", languages=(LanguageSkill("so", True),),
               municipality="Espoo"),
        Client(id="b" * 32, name="Олена Коваленко", languages=(LanguageSkill("uk", True),),
               municipality="Vantaa")])
    tid = "t" * 32
    team = Vault.adopt(team_path(personal, tid), tid, keys.new_key(), PASS, kdf=fast)
    remember_name(team, "Espoo kotoutuminen")
    team.save_many([
        Client(id="c" * 32, name="أحمد السيد", preferred_name="Ahmad",
               languages=(LanguageSkill("ar", True),), interpreter_needed=True,
               interpreter_language="ar", municipality="Espoo"),
        Client(id="d" * 32, name="Nguyen Van An", languages=(LanguageSkill("vi", True),),
               municipality="Espoo"),
        Encounter(client="c" * 32, date=dt.date(2026, 11, 24), minutes=45,
                  situation="Haluaa työkokeiluun kauppaan.")])
    team.lock()
    vaults = VaultSet.open(personal, PASS)
    session = Session(personal, vaults=vaults)
    page = ClientsPage(session)
    page.resize(1100, 520)
    page.show()
    page.list.refresh()
    ops.wait_idle()
    shot(lang, "clients-team", page)
    page.show_client("c" * 32)
    ops.wait_idle()
    shot(lang, "clients-team-card", page)
    page.close()
    page.deleteLater()
    ops.wait_idle()
    vaults.lock()
    personal.lock()


def render_time(shot: Any, lang: str, folder: Path) -> None:
    """The Time page of a counsellor with a team (``<lang>-time-team.png``): her own
    client, her own time with a team client; a colleague's time with it is not counted."""
    import datetime as dt

    from counsel.domain import Channel, Client, Encounter, Place, WorkEntry, WorkKind
    from counsel.teams.membership import ACCOUNT_STATE, team_path
    from counsel.teams.vaultset import VaultSet, remember_name
    from counsel.vault import keys
    from counsel.vault.kdf import KdfParams
    from counsel.vault.service import Vault
    from counsel_ui.common import ops
    from counsel_ui.shell.session import Session
    from counsel_ui.timekeeping.page import TimePage

    fast = KdfParams.fast_for_tests()
    day = dt.date.today() - dt.timedelta(days=7)
    personal, _code = Vault.create(folder / f"time-{lang}" / "personal.vault", PASS, kdf=fast)
    own = Client(id="a" * 32, name="Hodan Farah")
    personal.save_many([own, Encounter(client=own.id, date=day, minutes=60),
                        WorkEntry(kind=WorkKind.BACKGROUND, date=day, minutes=40,
                                  client=own.id, channel=Channel.PHONE)])
    tid = "t" * 32
    team = Vault.adopt(team_path(personal, tid), tid, keys.new_key(), PASS, kdf=fast)
    remember_name(team, "Espoo kotoutuminen")
    shared = Client(id="c" * 32, name="أحمد السيد", preferred_name="Ahmad")
    team.save(shared)
    for who, minutes in (("ahmed.hassan", 120), ("maria.virtanen", 45)):
        team.sync_port.set_states({ACCOUNT_STATE: who})  # as each member's copy stamps
        team.save_many([
            Encounter(client=shared.id, date=day + dt.timedelta(days=1), minutes=minutes,
                      place=Place.VIDEO),
            WorkEntry(kind=WorkKind.BACKGROUND, date=day + dt.timedelta(days=2),
                      minutes=minutes // 3, client=shared.id, channel=Channel.EMAIL)])
    team.lock()
    vaults = VaultSet.open(personal, PASS)
    page = TimePage(Session(personal, vaults=vaults))
    page.resize(1100, 760)
    page.show()
    page.range.setCurrentIndex(1)  # the last 3 months: last week's work in any month
    ops.wait_idle()
    shot(lang, "time-team", page)
    page.close()
    page.deleteLater()
    ops.wait_idle()
    vaults.lock()
    personal.lock()


def main(argv: Sequence[str] | None = None, progress: Callable[[str], None] = print) -> int:
    from counsel_ui.devtools.screenshots import run_shots

    return run_shots("python -m counsel_ui.devtools.team_shots", argv,
                     lambda args, tmp: render(args.out, args.langs, tmp), progress)


if __name__ == "__main__":
    sys.exit(main())
