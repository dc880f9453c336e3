"""Settings for benchmarks/performance_evidence.py: the project's settings plus one bare endpoint."""

from citydiplomacy.settings import *

ROOT_URLCONF = "_bench_urls"
