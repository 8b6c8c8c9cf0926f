"""SITE_URL follows the port `make run` serves, and a deployment must set it."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from sharing_city.notifications.checks import site_url_is_set

ROOT = Path(settings.BASE_DIR)


def site_url_under(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT"}}
    clean |= {"DJANGO_SETTINGS_MODULE": "sharing_city.settings.dev", **env}
    # The settings module alone, as a new process reads it (importing it is what decides the
    # value; setting up every app as well cost seconds a run).
    code = "import sharing_city.settings.dev as s; print(s.SITE_URL)"
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.strip()


def test_site_url_follows_a_non_default_port():
    assert site_url_under({"PORT": "8123"}) == "http://127.0.0.1:8123"
    assert site_url_under({}) == "http://127.0.0.1:8000"
    assert site_url_under({"PORT": "8123", "SITE_URL": "https://share.example"}) == (
        "https://share.example"
    )


def test_run_dev_exports_the_port_and_the_address_it_serves():
    script = (ROOT / "bin" / "run-dev").read_text()
    run = subprocess.run(
        [
            "bash",
            "-c",
            script.split("PY=.venv/bin/python")[0].split("set -euo pipefail")[1]
            + "python3 -c \"import os; print(os.environ['SITE_URL'])\"",
        ],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "PORT": "8123"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == "http://127.0.0.1:8123"


def test_a_deployment_without_site_url_fails_the_deploy_check(settings):
    settings.SITE_URL_IS_SET = False
    [error] = site_url_is_set()
    assert error.id == "notifications.E001"
    settings.SITE_URL_IS_SET = True
    assert site_url_is_set() == []
