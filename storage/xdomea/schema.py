"""Finding and applying the official xdomea 3.1.0 schemas.

The schemas are not shipped with dach (they are KoSIT's); the folder holding `3.1.0/xdomea.xsd` is named by
`DACH_XDOMEA_SCHEMAS`, or found by looking for `shared/xdomea` beside the working folder and each folder
above it (a checkout sits beside `shared/`, or deeper in a tree that has it). Every message dach writes is
validated before it leaves, and every message it reads before it is used.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

from lxml import etree

from schemas.errors import ConfigError, XdomeaInvalid

log = logging.getLogger(__name__)

NS = "urn:xoev-de:xdomea:schema:3.1.0"
ENTRY = Path("3.1.0") / "xdomea.xsd"
ENV = "DACH_XDOMEA_SCHEMAS"


def locate(configured: Path | None = None, start: Path | None = None) -> Path | None:
    """The schema folder: the configured one, else `shared/xdomea` beside `start` or any folder above it."""
    candidates: list[Path] = []
    if configured is not None:
        candidates.append(configured)
    elif os.environ.get(ENV):  # the settings read the same variable; this covers callers without settings
        candidates.append(Path(os.environ[ENV]))
    else:
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            candidates.append(folder / "shared" / "xdomea")
            candidates.append(folder.parent / "shared" / "xdomea")
    for folder in candidates:
        if (folder / ENTRY).is_file():
            return folder
    return None


@lru_cache(maxsize=4)
def _schema(folder: Path) -> etree.XMLSchema:
    try:
        return etree.XMLSchema(etree.parse(str(folder / ENTRY)))
    except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        raise ConfigError(
            f"the xdomea schemas in {folder} cannot be loaded ({exc}); check DACH_XDOMEA_SCHEMAS."
        ) from exc


def schema(configured: Path | None = None) -> etree.XMLSchema:
    folder = locate(configured)
    if folder is None:
        raise ConfigError(
            "the xdomea 3.1.0 schemas were not found; set DACH_XDOMEA_SCHEMAS to the folder holding 3.1.0/xdomea.xsd."
        )
    return _schema(folder)


def parse(data: bytes, configured: Path | None = None, *, expect: str | None = None) -> etree._Element:
    """Parse and validate a message; XdomeaInvalid names the first problems (and the message type expected)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise XdomeaInvalid(f"the message is not well-formed XML ({exc}); ask the sender for a new one.") from exc
    name = etree.QName(root)
    if expect is not None and (name.namespace != NS or name.localname != expect):
        raise XdomeaInvalid(f"expected an xdomea {expect} message, got {name.localname!r} ({name.namespace}).")
    check(root, configured)
    return root


def check(root: etree._Element, configured: Path | None = None) -> None:
    validator = schema(configured)
    if not validator.validate(root):
        problems = "; ".join(f"line {e.line}: {e.message}" for e in list(validator.error_log)[:3])
        raise XdomeaInvalid(f"the message does not validate against xdomea 3.1.0: {problems}")


def serialise(root: etree._Element, configured: Path | None = None) -> bytes:
    """The message as UTF-8 bytes, after checking it against the schemas (dach never sends an invalid one)."""
    check(root, configured)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
