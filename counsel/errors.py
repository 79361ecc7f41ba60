"""Error hierarchy.

``KnownError`` is everything a person can be told about and act on: a wrong
passphrase, a damaged file, a full disk, no network.  Each carries a translated
message and a help text saying what to do.  Anything else that escapes is a bug and
goes to the crash dialog / stderr with a report that holds no client data.
"""

from __future__ import annotations

from counsel.i18n import N_, gettext


class KnownError(Exception):
    """An error the user can understand and act on."""

    #: untranslated default help text (marked with N_), translated on display
    help_text: str = N_("If this keeps happening, contact your IT support.")

    def __init__(self, message: str, *, help_text: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if help_text is not None:
            self.help_text = help_text

    def help(self) -> str:
        return gettext(self.help_text)

    def __str__(self) -> str:
        return self.message


class ValidationError(KnownError, ValueError):
    """A field of a record holds a value the domain does not accept."""

    help_text = N_("Correct the field and save again. Nothing was saved.")

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class WrongPassphrase(KnownError):
    help_text = N_(
        "Check the keyboard layout and Caps Lock and try again. If you have forgotten "
        "the passphrase, use your printed recovery code."
    )


class WrongRecoveryCode(KnownError):
    help_text = N_("Type the code exactly as printed; groups may be separated by spaces or dashes.")


class VaultError(KnownError):
    """The vault file cannot be used (missing, damaged, newer format, locked)."""

    help_text = N_(
        "The file was left unchanged. Restore it from a backup or contact your IT support."
    )


class VaultNotFound(VaultError):
    help_text = N_("Create a new vault, or choose the folder where your vault is.")


class VaultExists(VaultError):
    help_text = N_("Open the existing vault instead, or choose another location.")


class NewerVaultFormat(VaultError):
    help_text = N_("Update Counsel to the latest version to open this vault.")


class VaultLocked(KnownError):
    help_text = N_("Unlock the vault and try again.")


class RecordNotFound(KnownError):
    help_text = N_("The record may have been deleted or erased.")


class IntegrityError(KnownError):
    """A record's ciphertext failed authentication (tampered, swapped, replayed)."""

    help_text = N_(
        "The record was damaged or altered outside Counsel. Other records are not "
        "affected. Restore from a backup or sync from the server."
    )

    def __init__(self, message: str, *, record_id: str | None = None) -> None:
        super().__init__(message)
        self.record_id = record_id


class StorageFull(KnownError):
    help_text = N_("Free some disk space and save again. Your text is kept as an encrypted draft.")


class OfflineError(KnownError):
    help_text = N_("Your work is kept on this computer and will sync when you are online.")


class ImportFileError(KnownError):
    help_text = N_("Check that the file is a calendar (.ics) export and try again.")


class ImportCancelled(KnownError):
    """The counsellor stopped an import; nothing was saved."""

    help_text = N_("Start the import again when you want to.")
