"""Per-sender pacing: a token bucket per channel account (one officer's phone).

A burst of `burst` messages is processed at once; after that one message per `per_seconds`. The limiter only
decides *when* a message is processed, never *whether*: the gateway holds a message that finds no token and
processes it later, in order (a backlog after downtime is the officer's data, not a flood to drop).
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Bucket:
    tokens: float
    stamp: float


@dataclass
class RateLimiter:
    burst: int = 20
    per_seconds: float = 2.0
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, _Bucket] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key: str) -> float:
        """Takes a token for `key` and returns 0.0; without a token, takes nothing and returns the seconds
        until one is due."""
        with self._lock:  # the gateway asks from worker threads
            return self._take(key)

    def _take(self, key: str) -> float:
        now = self.clock()
        if len(self._buckets) > 10_000:  # forget senders whose bucket has refilled anyway
            full = self.burst * self.per_seconds
            self._buckets = {k: v for k, v in self._buckets.items() if now - v.stamp < full}
        b = self._buckets.get(key)
        if b is None:
            b = self._buckets[key] = _Bucket(float(self.burst), now)
        b.tokens = min(float(self.burst), b.tokens + (now - b.stamp) / self.per_seconds)
        b.stamp = now
        if b.tokens >= 1.0:
            b.tokens -= 1.0
            return 0.0
        return (1.0 - b.tokens) * self.per_seconds
