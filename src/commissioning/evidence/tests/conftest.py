import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded evidence goes to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
