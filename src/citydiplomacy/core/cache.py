"""The embedded shared cache: Django's file-based cache (a folder under var/, seen by every
worker process of the host, no server to run) with an atomic `add`.

Django's FileBasedCache.add checks for the key and then writes it, so two processes may both
"add" the same key. The heavy-request slots of core.throttling rely on `add` being a real
compare-and-set: here the entry is written to a temporary file and hard-linked into place,
which fails when the file exists, whichever process comes second (the operating system decides).
An expired entry is removed and the link tried once more.
"""

from __future__ import annotations

import os
import tempfile

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class SharedFileCache(FileBasedCache):
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        fname = self._key_to_file(key, version)
        self._createdir()
        handle, temp_name = tempfile.mkstemp(dir=self._dir)
        try:
            with open(handle, "wb") as out:
                self._write_content(out, timeout, value)
            for _attempt in range(2):
                try:
                    os.link(temp_name, fname)
                    return True
                except FileExistsError:
                    if not self._expired(fname):
                        return False
            return False
        finally:
            os.remove(temp_name)

    def _expired(self, fname) -> bool:
        """Is the entry at `fname` expired (then it is removed) or gone?"""
        try:
            with open(fname, "rb") as handle:
                return self._is_expired(handle)
        except FileNotFoundError:
            return True
