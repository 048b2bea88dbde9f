"""Settings derived from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from commissioning.config.settings import site_url

SRC = Path(__file__).resolve().parents[3]


def test_the_site_address_follows_the_port_the_demo_serves_on():
    assert site_url({"PORT": "8123"}) == "http://127.0.0.1:8123"
    assert site_url({"PORT": " 9000 "}) == "http://127.0.0.1:9000"


def test_without_a_port_the_site_address_is_port_8000():
    assert site_url({}) == "http://127.0.0.1:8000"
    assert site_url({"PORT": ""}) == "http://127.0.0.1:8000"


def test_an_explicit_site_url_wins_over_the_port():
    assert site_url({"SITE_URL": "https://hub.leeds.gov.uk/", "PORT": "8123"}) == "https://hub.leeds.gov.uk"
    assert site_url({"SITE_URL": "  ", "PORT": "8123"}) == "http://127.0.0.1:8123"


@pytest.mark.parametrize("port", ["80a", "0", "65536", "-1", "８０８０", "8000; rm"])
def test_a_port_that_is_not_a_port_number_is_a_configuration_error(port):
    with pytest.raises(ImproperlyConfigured, match="PORT must be a port number"):
        site_url({"PORT": port})


def test_the_settings_module_reads_the_port_from_the_environment():
    environ = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    environ.update({"PORT": "8123", "COMMISSIONING_TESTING": "1", "PYTHONPATH": str(SRC)})
    printed = subprocess.run(
        [sys.executable, "-c", "from commissioning.config import settings; print(settings.SITE_URL)"],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    assert printed.stdout.strip() == "http://127.0.0.1:8123"
