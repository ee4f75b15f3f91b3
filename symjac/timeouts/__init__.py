"""Limits on symbolic work: time limits in this process, and worker processes for the rest.

``time_limit`` bounds a step in any thread of this process (``in_process``); a step it cannot
stop (one long C call, such as a huge integer power) or one that must also be capped in memory
runs on a ``WorkerPool`` of processes that are killed at their limit (``workers``).
"""

from .in_process import DEFAULT_TIMEOUT, check_timeout, time_limit
from .workers import DEFAULT_MEMORY_MB, WorkerPool, run_limited

__all__ = ["time_limit", "check_timeout", "DEFAULT_TIMEOUT",
           "WorkerPool", "run_limited", "DEFAULT_MEMORY_MB"]
