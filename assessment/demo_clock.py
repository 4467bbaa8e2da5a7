"""The demo's clock: the programme's demo acts every step through the real services at the
time the step happens in its story, so that events, panels, notices, objections and
certifications carry past times in their true order.

Stamping the rows afterwards is no option: events are append-only and each one's time is part
of its submission's hash chain (`manage.py verify_audit`). So while the clock runs, Django's
`timezone.now()` (and with it every `default=timezone.now` and `auto_now` field, and
`timezone.localdate()`) answers the clock's time. Seeding runs in one thread; the clock is
always put back.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import django.utils.timezone as django_timezone

_REAL_DATETIME = django_timezone.datetime


class _AnyDatetime(type):
    # django.utils.timezone also asks isinstance(value, datetime) of real datetimes.
    def __instancecheck__(cls, instance):
        return isinstance(instance, _REAL_DATETIME)


class DemoClock:
    def __init__(self, start: datetime):
        self.now = start

    def set(self, moment: datetime) -> datetime:
        """Move the clock on to `moment` (never back: the story is told in order)."""
        if moment < self.now:
            raise ValueError(f"The demo's clock runs forward only: {moment} < {self.now}.")
        self.now = moment
        return moment

    def advance(self, **delta) -> datetime:
        return self.set(self.now + timedelta(**delta))


@contextmanager
def demo_clock(start: datetime) -> Iterator[DemoClock]:
    clock = DemoClock(start)

    class ClockDatetime(_REAL_DATETIME, metaclass=_AnyDatetime):
        @classmethod
        def now(cls, tz=None):
            return clock.now.astimezone(tz) if tz is not None else clock.now.replace(tzinfo=None)

    django_timezone.datetime = ClockDatetime
    try:
        yield clock
    finally:
        django_timezone.datetime = _REAL_DATETIME
