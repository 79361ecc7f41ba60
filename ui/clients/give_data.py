""""Give the client their data": the client's copy of their records (a PDF in their
language and JSON, :mod:`counsel.records.export`) written into a folder the counsellor
chooses — nowhere else — on the writer pool."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from counsel.i18n import current_language
from counsel.i18n import gettext as _
from counsel_ui.common.ops import Op

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session


def give_client_data(parent: QWidget, session: Session, client_id: str,
                     folder: Path | None = None,
                     done: Callable[[tuple[Path, Path]], None] | None = None) -> Op | None:
    """Ask for a folder (unless given), write both files there, say where they are."""
    if folder is None:
        name = QFileDialog.getExistingDirectory(
            parent, _("Choose the folder for the client's copy of their data"))
        if not name:
            return None
        folder = Path(name)
    vault = session.vault_for(client_id)  # a team client: the team's copy

    def work() -> tuple[Path, Path]:
        from counsel.plans.editing import print_language
        from counsel.records.export import write_export

        return write_export(vault, client_id, folder,
                            counsellor_lang=print_language(current_language()))

    def written(paths: tuple[Path, Path]) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, _("The client's data"),
                          _("Wrote the client's copy into {folder}:\n{pdf}\n{json}").format(
                              folder=str(folder), pdf=paths[0].name, json=paths[1].name),
                          QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("give-data-done")
        box.open()
        if done is not None:
            done(paths)

    return Op(parent, work).success(written).run()
