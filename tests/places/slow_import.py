"""Test helper run as a script: the `citydiplomacy` CLI with a slowed or paused import.

Kept out of src/: it wraps ``places.imports._Registry.for_resolution`` (called once per side
of every imported row, inside the batch transactions) before running the command.
- ``SLOW_IMPORT_PAUSE_AT_CALL=N``: at the N-th call print ``PAUSED`` and sleep (a test then
  SIGKILLs the process inside a batch transaction);
- ``SLOW_IMPORT_DELAY=seconds``: sleep that long in every call (a long import).
"""

from __future__ import annotations

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydiplomacy.settings")
django.setup()

from citydiplomacy.cli import main
from citydiplomacy.places import imports

PAUSE_AT = int(os.environ.get("SLOW_IMPORT_PAUSE_AT_CALL", "0") or 0)
DELAY = float(os.environ.get("SLOW_IMPORT_DELAY", "0") or 0)
_original = imports._Registry.for_resolution
_calls = 0


def _for_resolution(self, *args, **kwargs):
    global _calls
    _calls += 1
    if _calls == PAUSE_AT:
        print("PAUSED", flush=True)
        time.sleep(120)
    if DELAY:
        time.sleep(DELAY)
    return _original(self, *args, **kwargs)


imports._Registry.for_resolution = _for_resolution

if __name__ == "__main__":
    main(sys.argv[1:])
