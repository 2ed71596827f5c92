"""The ground-truth JSON written next to every sample (`NAME.truth.json`) and the folder's manifest.

Page numbers are 1-based and agree with the file. `rotation` is the number of degrees the page content
was turned clockwise when the sample was made (turn it back counter-clockwise to read it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .content import DocumentContent
from .stacks import Sheet


def truth_record(
    file_name: str,
    seed: int,
    fmt: str,
    difficulty: str,
    degradations: list[str],
    sheets: list[Sheet],
    rotations: list[int],
    text_layer: list[bool],
    contents: list[DocumentContent],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    pages = [
        {
            "page": i + 1,
            "role": sheet.role,
            "document": sheet.document,
            "rotation": rotations[i],
            "text_layer": text_layer[i],
        }
        for i, sheet in enumerate(sheets)
    ]
    documents = []
    for index, content in enumerate(contents):
        documents.append(
            {
                "type": content.type.value,
                "pages": [i + 1 for i, sheet in enumerate(sheets) if sheet.document == index],
                "language": content.language,
                "fields": dict(content.fields),
                "extra": dict(content.extra),
            }
        )
    record: dict[str, Any] = {
        "file": file_name,
        "seed": seed,
        "format": fmt,
        "difficulty": difficulty,
        "degradations": degradations,
        "pages": pages,
        "documents": documents,
    }
    if extra:
        record["stack"] = extra
    return record


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (`.part` then rename), sorted keys kept off so fields read in contract order."""
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    part.replace(path)
