"""The tables of the knowledge base. Lists and dicts are stored as JSON text."""
from __future__ import annotations

TEXT, INT = str, int

TABLES: dict[str, tuple[str | None, dict[str, type]]] = {
    "guides": ("key", {"key": TEXT, "file": TEXT, "layout": TEXT, "kind": TEXT, "title": TEXT, "short": TEXT,
                       "issuer": TEXT, "year": INT, "scope": TEXT, "compare_with": TEXT, "services": INT,
                       "sha256": TEXT, "keywords": TEXT}),
    "services": ("id", {"id": TEXT, "guide": TEXT, "seq": INT, "name": TEXT, "group_name": TEXT, "codes": TEXT,
                        "codes_from": TEXT, "aliases": TEXT, "twin": TEXT, "line_start": INT,
                        "line_end": INT}),
    "fields": ("id", {"id": TEXT, "service_id": TEXT, "key": TEXT, "label": TEXT, "scope": TEXT, "text": TEXT,
                      "items": TEXT, "normalised": TEXT, "line_start": INT, "line_end": INT, "origin": TEXT}),
    "contacts": ("id", {"id": TEXT, "service_id": TEXT, "area": TEXT, "region": TEXT, "place": TEXT,
                        "hours": TEXT, "consult": TEXT, "complaint": TEXT, "line_start": INT, "line_end": INT,
                        "origin": TEXT}),
    "regions": ("path", {"path": TEXT, "name": TEXT, "label": TEXT, "level": TEXT, "parent": TEXT,
                         "adcode": TEXT, "aliases": TEXT, "former": TEXT}),
    "conflicts": (None, {"guide": TEXT, "service_id": TEXT, "service": TEXT, "field": TEXT, "value": TEXT,
                         "line_start": INT, "line_end": INT, "other_guide": TEXT, "other_service_id": TEXT,
                         "other_value": TEXT, "other_line_start": INT, "other_line_end": INT}),
    "anomalies": (None, {"guide": TEXT, "kind": TEXT, "service": TEXT, "message": TEXT, "line_start": INT,
                         "line_end": INT}),
    "document_contacts": (None, {"guide": TEXT, "person": TEXT, "phone": TEXT, "line_start": INT,
                                 "line_end": INT}),
    "reference_forms": (None, {"guide": TEXT, "title": TEXT, "line_start": INT, "line_end": INT}),
    "overrides_applied": (None, {"table": TEXT, "row_id": TEXT, "service_id": TEXT, "column": TEXT,
                                 "source_value": TEXT, "value": TEXT, "reason": TEXT}),
    "search": (None, {"field_id": TEXT, "service_id": TEXT, "key": TEXT, "name": TEXT, "terms": TEXT}),
}
