"""A set of working-set rowids kept as a bitmap (the encounters waiting for the note index's
second pass, :attr:`counsel.vault.workingset.WorkingSet.unindexed`).

A Python ``set`` of the large demo vault's 100k rowids is 100k int objects and a 4 MB table
that never shrinks; the ints are made while a rebuild's rows go in, so they sit among its
short-lived objects and each keeps the 1 MiB block of Python's allocator it is in (about 20
MB more after a first unlock than after one from the cache).  Here one bit per rowid: 40 KB
for 320k rows, no objects.  Iteration is in rowid order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator


class RowidSet:
    __slots__ = ("_bits", "_count", "_low")

    def __init__(self, rowids: Iterable[int] = ()) -> None:
        self._bits = bytearray()
        self._count = 0
        #: no bit is set in a byte below this one (iteration starts here)
        self._low = 0
        self.update(rowids)

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __contains__(self, rowid: object) -> bool:
        if not isinstance(rowid, int) or rowid < 0:
            return False
        byte = rowid >> 3
        return byte < len(self._bits) and bool(self._bits[byte] & (1 << (rowid & 7)))

    def __iter__(self) -> Iterator[int]:
        bits = self._bits
        byte = self._low
        while byte < len(bits):
            value = bits[byte]
            if value:
                for bit in range(8):
                    if value & (1 << bit):
                        yield (byte << 3) | bit
            elif byte == self._low:
                self._low += 1  # (a cleared prefix is not scanned again)
            byte += 1

    def add(self, rowid: int) -> None:
        if rowid < 0:
            raise ValueError("rowid below 0")
        byte = rowid >> 3
        if byte >= len(self._bits):
            self._bits.extend(bytes(max(byte + 1 - len(self._bits), len(self._bits) // 2)))
        mask = 1 << (rowid & 7)
        if not self._bits[byte] & mask:
            self._bits[byte] |= mask
            self._count += 1
            self._low = min(self._low, byte)

    def update(self, rowids: Iterable[int]) -> None:
        for rowid in rowids:
            self.add(rowid)

    def discard(self, rowid: int) -> None:
        if rowid in self:
            self._bits[rowid >> 3] &= ~(1 << (rowid & 7)) & 0xFF
            self._count -= 1
            if not self._count:
                self.clear()

    def difference_update(self, rowids: Iterable[int]) -> None:
        for rowid in rowids:
            self.discard(rowid)

    def clear(self) -> None:
        self._bits = bytearray()
        self._count = 0
        self._low = 0
