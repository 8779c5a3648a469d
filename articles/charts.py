"""Charts drawn on the server as inline SVG: no script, readable without one."""

import datetime

from django.utils.formats import date_format

CHART_MONTHS = 36


def monthly_chart(months, height=120):
    """
    Bars of claims per month over the last three years with claims, from (year, month,
    count) rows in date order (the read engine's ClaimIndex.months()), or {} when there
    are none. Claims dated only to a year are not in them: their month is unknown.
    """
    if not months:
        return {}
    counts = {(year, month): n for year, month, n in months}
    last = months[-1][:2]
    first = max(months[0][:2], months_before(last, CHART_MONTHS - 1))
    keys = [first]
    while keys[-1] < last:
        year, month = keys[-1]
        keys.append((year + 1, 1) if month == 12 else (year, month + 1))
    peak = max(counts.get(key, 0) for key in keys)
    width = 12
    bars = []
    for index, key in enumerate(keys):
        n = counts.get(key, 0)
        bar_height = round(n / peak * height) if n else 0
        bars.append(
            {
                "x": index * width,
                "y": height - bar_height,
                "width": width - 2,
                "height": bar_height,
                "count": n,
                "label": date_format(datetime.date(key[0], key[1], 1), "YEAR_MONTH_FORMAT"),
            }
        )
    return {
        "bars": bars,
        "width": len(keys) * width,
        "height": height,
        "peak": peak,
        "first": bars[0]["label"],
        "last": bars[-1]["label"],
    }


def months_before(key, count):
    year, month = key
    index = year * 12 + (month - 1) - count
    return (index // 12, index % 12 + 1)
