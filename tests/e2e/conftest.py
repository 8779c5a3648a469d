"""
The browser tests: Playwright driving Debian's Chromium against Django's live server.

They run with `make test-e2e` (part of `make test`), which installs what they need:
Chromium from Debian, the Nu HTML checker and axe-core from npm (package.json). The
regular pytest runs leave this folder out (see addopts in pyproject.toml).
"""

import os

# Playwright's sync API keeps an asyncio event loop in the main thread, where the tests
# also use the ORM (setting up data, checking results). Nothing here is async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
