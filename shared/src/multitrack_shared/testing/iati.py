"""Checks of an IATI 2.03 document against the standard's schema the repository carries
(``contracts/iati-2.03``), for the service's and the cross-service tests."""

from __future__ import annotations

from functools import cache

from lxml import etree

from multitrack_shared.testing.paths import repo_root

SCHEMA = repo_root() / "contracts" / "iati-2.03" / "iati-activities-schema.xsd"


@cache
def activities_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def valid_iati(document: bytes) -> etree._Element:
    """The parsed document, once the schema accepts it; else an AssertionError naming why."""
    root = etree.fromstring(document)
    schema = activities_schema()
    assert schema.validate(root), str(schema.error_log)
    return root
