"""The client card's Consents tab: sharing is refused without consent and logged with it."""

from __future__ import annotations

import datetime as dt

from counsel.domain import Consent, DisclosureEntry, PartyKind

AMINA = "a" * 32


def test_share_is_refused_then_logged(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    vault = window.session.vault
    window.workspace.open_client(AMINA)
    tab = window.workspace.page("clients").view.consent_tab
    qtbot.waitUntil(lambda: tab.data is not None, timeout=20_000)
    assert tab.consents.item(0).text() == "No consent recorded."
    tab.share(PartyKind.TE_SERVICES, "plan", "Espoo TE office")
    qtbot.waitUntil(lambda: "No consent" in tab.message.text(), timeout=20_000)
    assert vault.of_client(DisclosureEntry, AMINA) == []
    consent = Consent(client=AMINA, party=PartyKind.TE_SERVICES, scope=("plan",),
                      given=dt.date.today())
    with qtbot.waitSignal(tab.loaded, timeout=20_000):
        tab.save_consent(consent)
    assert tab.consents.count() == 1 and "Employment services" in tab.consents.item(0).text()
    with qtbot.waitSignal(tab.loaded, timeout=20_000):
        tab.share(PartyKind.TE_SERVICES, "plan", "Espoo TE office")
    assert tab.shared.count() == 1 and "Espoo TE office" in tab.shared.item(0).text()
    assert [e.action for e in vault.audit.entries() if e.client == AMINA].count("share") == 1


def test_consent_dialog_requires_a_scope_and_a_law_reference(qtbot) -> None:  # type: ignore[no-untyped-def]
    from counsel_ui.clients.consent_tab import ConsentDialog

    dlg = ConsentDialog(AMINA)
    qtbot.addWidget(dlg)
    dlg.accept()
    assert dlg.consent is None and dlg.error.text()
    dlg.scope["plan"].setChecked(True)
    dlg.basis.setCurrentIndex(dlg.basis.findData("law"))
    dlg.accept()
    assert dlg.consent is None and "law" in dlg.error.text()
    dlg.reference.setText("Laki 1386/2010")
    dlg.accept()
    assert dlg.consent is not None and dlg.consent.basis == "law"
