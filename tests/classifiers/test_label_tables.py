"""The label tables have one home: the field components and the key-value reader read the labels they share
from one tuple, so a label added for a field reaches every reader of that field or none."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import classifiers.fields as fields
import classifiers.label_tables as tables
from classifiers.certificate import is_label

# key-value field -> the field table's field of the same meaning
_SAME_FIELD = {"full_name": "person_name"}


def _shared(field_table: Mapping[str, Sequence[str]], field: str) -> set[str]:
    kv_field = next((k for k, v in _SAME_FIELD.items() if v == field), field)
    return set(field_table.get(field, ())) & set(tables.KEY_VALUE_LABELS.get(kv_field, ()))


def test_the_field_components_read_their_tables_from_label_tables() -> None:
    assert fields.certificate_labels() is tables.CERTIFICATE_LABELS
    assert fields.notice_labels() is tables.NOTICE_LABELS


def test_a_label_both_tables_read_is_written_once_in_a_shared_tuple() -> None:
    shared = {
        name: set(value) for name, value in vars(tables).items() if name.startswith("_") and isinstance(value, tuple)
    }
    for field_table in (tables.CERTIFICATE_LABELS, tables.NOTICE_LABELS):
        for field, labels in field_table.items():
            both = _shared(field_table, field)
            if not both:
                continue
            # the labels both tables read for this field are exactly one shared tuple, not literals written twice
            assert any(both == labels_of for labels_of in shared.values()), (field, sorted(both))
            assert len(labels) == len(set(labels)), field


def test_a_shared_issue_date_label_is_a_label_for_every_reader() -> None:
    # `Tag der Ausstellung` was written in two tables; it stays a label of the field and the key-value table
    assert "Tag der Ausstellung" in tables.CERTIFICATE_LABELS["issue_date"]
    assert "Tag der Ausstellung" in tables.KEY_VALUE_LABELS["issue_date"]
    assert is_label("Tag der Ausstellung:")
