"""counsel.versioned: the one reader of the versioned JSON documents (backup manifest,
organisation policy, escrow record) — and those three still refuse what they refused."""

from __future__ import annotations

import json

import pytest

from counsel import versioned
from counsel.errors import KnownError
from counsel.org.policy import OrgPolicy, PolicyError
from counsel.records.backup_format import Manifest


class Refused(Exception):
    pass


def test_read_accepts_its_format_as_text_bytes_or_parsed() -> None:
    doc = versioned.dump(3, {"a": 1, "b": "x"})
    assert json.loads(doc) == {"format": 3, "a": 1, "b": "x"}
    for raw in (doc, doc.decode(), json.loads(doc), bytearray(doc)):
        assert versioned.read(raw, 3, Refused) == {"format": 3, "a": 1, "b": "x"}


@pytest.mark.parametrize("raw", [b"{not json", b"", b"[1, 2]", b'"text"', b"{}",
                                 b'{"format": 2}', b'{"format": "1"}', None, 7, [1]])
def test_read_refuses_with_the_callers_error(raw: object) -> None:
    with pytest.raises(Refused):
        versioned.read(raw, 1, Refused)


def test_the_three_documents_still_refuse_another_format() -> None:
    with pytest.raises(PolicyError):
        OrgPolicy.from_text('{"format": 2, "org_id": "x", "name": "y"}')
    with pytest.raises(PolicyError):
        OrgPolicy.from_text("{not json")
    policy = OrgPolicy("org-1", "Kotoutumispalvelut", None)
    assert OrgPolicy.from_text(json.dumps(policy.to_json())) == policy
    assert OrgPolicy.from_json(policy.to_json()) == policy

    manifest = Manifest(3, "2026-12-03T09:00:00+00:00", 4096, "ab" * 32,
                        ((b"n" * 16, 40),), (), 100)
    raw = manifest.to_bytes()
    assert Manifest.from_bytes(raw, 100) == manifest
    hlen = int.from_bytes(raw[:4], "big")
    head = json.loads(raw[4:4 + hlen])
    bumped = json.dumps({**head, "format": 2}).encode()
    with pytest.raises(ValueError, match="layout"):
        Manifest.from_bytes(len(bumped).to_bytes(4, "big") + bumped + raw[4 + hlen:], 100)
    assert not issubclass(Refused, KnownError)
