"""Run every benchmark script in this folder (what `make bench` does) and stop on failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(p for p in HERE.glob("*.py") if p.name not in {"run_all.py", "__init__.py"}
                     and not p.name.startswith("_"))
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        result = subprocess.run([sys.executable, str(script)], check=False)
        if result.returncode != 0:
            print(f"{script.name} failed with exit code {result.returncode}")
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
