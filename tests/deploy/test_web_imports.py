"""A web process carries only what serving pages needs: numpy and SciPy (home-share matching)
and Pillow (photo uploads) load when that work runs, not when gunicorn imports the app.

Checked in a fresh interpreter: in the test process other tests have imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings

HEAVY = ("numpy", "scipy", "PIL")

PROBE = """
import json, sys
from sharing_city.wsgi import application
from django.test import Client
response = Client().get("/", HTTP_ACCEPT_LANGUAGE="ko")
heavy = [name for name in {heavy!r} if name in sys.modules]
print(json.dumps({{"status": response.status_code, "heavy": heavy}}))
"""


def test_serving_the_home_page_does_not_import_numpy_scipy_or_pillow():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sharing_city.settings.test",
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])

    assert found["status"] == 200
    assert found["heavy"] == []


def test_the_matching_still_finds_numpy_when_it_runs():
    from homeshare import matching

    assert matching.np.zeros(3).sum() == 0  # the lazy module answers like numpy itself
