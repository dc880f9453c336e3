"""The portable backup (`backup --portable`): Django's serialization of every table, one JSON
file per table (dumpdata format, pk order, microseconds kept), loaded back row for row as
`loaddata` does. Slow on large registries; meant only for moving between engines (SQLite ↔
PostgreSQL). Same-engine backups use the engine's own tool (web.ops.backup_engines).

Members: data/<app_label>.<model>.json. The manifest records, per table, the row count and the
content checksum (web.ops.backup_tables.table_summary), which a restore verifies before it
commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections

from citydiplomacy.web.ops.backup_tables import (
    CHUNK,
    local_field_names,
    serialized_models,
    table_summary,
)


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder keeps only milliseconds (ECMA-262); a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, (dt.datetime, dt.time)):
            return o.isoformat()
        return super().default(o)


class _HashingWriter(io.RawIOBase):
    """A binary sink that hashes what passes through to `target`."""

    def __init__(self):
        super().__init__()
        self._digest = hashlib.sha256()
        self.target = None

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._digest.update(data)
        self.target.write(data)
        return len(data)

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


def write_tables(archive: zipfile.ZipFile, manifest: dict, using: str) -> None:
    """Write data/*.json for every table (in the caller's transaction) and their summaries."""
    for model in serialized_models():
        label = model._meta.label_lower
        member = f"data/{label}.json"
        digest = _HashingWriter()
        with archive.open(member, "w", force_zip64=True) as raw:
            digest.target = raw
            text = io.TextIOWrapper(digest, encoding="utf-8", write_through=True)
            queryset = model._base_manager.using(using).order_by(model._meta.pk.attname)
            serializers.serialize("json", queryset.iterator(chunk_size=CHUNK), stream=text,
                                  cls=ExactJSONEncoder, fields=local_field_names(model))
            text.flush()
            text.detach()
        manifest["data"][member] = digest.hexdigest()
    for model in serialized_models():
        summary = table_summary(model, using)
        manifest["tables"][summary.model] = summary.__dict__


def load_tables(archive: zipfile.ZipFile, manifest: dict, using: str, say) -> None:
    """Load every data/*.json member (in the caller's transaction, into emptied tables)."""
    for model in serialized_models():
        member = f"data/{model._meta.label_lower}.json"
        if member not in manifest["data"]:
            continue
        count = _load_member(archive, member, using)
        say(f"{model._meta.label_lower}: {count} rows")


def _load_member(archive: zipfile.ZipFile, member: str, using: str) -> int:
    with archive.open(member) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8")
        objects = serializers.deserialize("json", text, using=using, ignorenonexistent=False)
        batch = []
        count = 0
        for item in objects:
            count += 1
            model = type(item.object)
            if item.m2m_data or model._meta.parents:
                item.save(using=using)  # raw save: no auto_now, no history record, no signals
                continue
            batch.append(item.object)
            if len(batch) >= CHUNK:
                _raw_insert(batch, using)
                batch = []
        if batch:
            _raw_insert(batch, using)
    return count


def _raw_insert(objects: list, using: str) -> None:
    """INSERT the rows exactly as given (raw: auto_now/auto_now_add do not overwrite them)."""
    model = type(objects[0])
    fields = list(model._meta.local_concrete_fields)
    size = max(1, connections[using].ops.bulk_batch_size(fields, objects))
    manager = model._base_manager.using(using)
    for start in range(0, len(objects), size):
        manager._insert(objects[start:start + size], fields=fields, raw=True, using=using)
