"""Run one sync of a vault in a child process (the kill -9 tests set COUNSEL_SYNC_FAULT)."""

from __future__ import annotations

import sys

from counsel.sync.client import SyncClient
from counsel.vault import kdf
from counsel.vault.service import Vault

kdf.allow_fast_for_tests()  # the parent made the vault with KdfParams.fast_for_tests()

vault = Vault.unlock(sys.argv[1], sys.argv[2])
client = SyncClient.from_vault(vault, push_batch=int(sys.argv[3]), pull_page=int(sys.argv[3]))
client.sync()
client.close()
vault.lock()
