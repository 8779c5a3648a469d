"""
Links out of the site go to web addresses only. The model refuses anything else
(Article.url), but rows written past validation (importers, the ORM, bulk tools) could
still hold javascript: or data: addresses, which must never become a link.
"""

import re

WEB_URL = re.compile(r"https?://", re.IGNORECASE | re.ASCII)
# The same test in PostgreSQL, for exports written by the database (export.py).
WEB_URL_SQL = "^https?://"


def web_url(url):
    """`url` if it is an http:// or https:// address, otherwise ""."""
    return url if url and WEB_URL.match(url) else ""
