"""Per-sender flood protection: a token bucket per channel account (one officer's phone).

A burst of `burst` messages passes; after that one message per `per_seconds`. The first message refused
in a streak gets a notice; the rest of the streak is ignored silently, so a flood costs one answer.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

NOTICE = ("Anh/chị gửi tin nhắn quá nhanh. Tin vừa rồi chưa được xử lý; vui lòng đợi ít giây rồi gửi lại.")


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    warned: bool = False


@dataclass
class RateLimiter:
    burst: int = 20
    per_seconds: float = 2.0
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def check(self, key: str) -> str:
        """'ok' to process, 'notice' to refuse with NOTICE, 'drop' to ignore quietly."""
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
            b.warned = False
            return "ok"
        if b.warned:
            return "drop"
        b.warned = True
        return "notice"
