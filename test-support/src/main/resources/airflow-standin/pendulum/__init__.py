"""A minimal stand-in for `pendulum` (not installable here): time-zone aware datetimes."""
from __future__ import annotations

import datetime as _dt
from zoneinfo import ZoneInfo

UTC = _dt.timezone.utc


def timezone(name):
    if isinstance(name, _dt.tzinfo):
        return name
    if name in ("UTC", "utc", "Z"):
        return UTC
    return ZoneInfo(name)


def datetime(year, month, day, hour=0, minute=0, second=0, microsecond=0, tz="UTC", **_kwargs):
    return _dt.datetime(
        year, month, day, hour, minute, second, microsecond,
        tzinfo=None if tz is None else timezone(tz),
    )


def now(tz="UTC"):
    return _dt.datetime.now(timezone(tz))


def parse(text, tz="UTC"):
    value = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone(tz))


def duration(**kwargs):
    return _dt.timedelta(**kwargs)


DateTime = _dt.datetime
