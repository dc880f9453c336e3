"""`citydiplomacy worker` with WeasyPrint's `write_pdf` pausing on its first call, for
tests/web/test_task_worker.py: the test kills this worker there, in the middle of the real
report-PDF task (analytics/report_pdf.py), after it has read its data and laid out nothing.

    python tests/web/paused_pdf_worker.py FOLDER [worker options]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(folder: str, argv: list[str]) -> None:
    import django

    django.setup()
    import weasyprint
    from django.core.management import call_command

    original = weasyprint.HTML.write_pdf

    def paused(self, *args, **kwargs):
        started = Path(folder) / "started"
        if not started.exists():
            started.write_text("1")
            time.sleep(60)  # killed here by the test
        return original(self, *args, **kwargs)

    weasyprint.HTML.write_pdf = paused
    call_command("worker", *argv)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
