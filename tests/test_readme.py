"""The README's configuration table lists every environment variable the settings read."""

import importlib
from pathlib import Path

from config import env


def test_readme_dokumenterer_alle_miljoevariabler():
    for module in ("config.settings.development", "config.settings.production", "config.settings.test"):
        importlib.import_module(module)
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    missing = [name for name in env.DECLARED if f"`{name}`" not in readme]
    assert missing == []
