"""Issue 13.7/9: the framework's chrome is off and nothing red or English comes from it (the browser run is
tests/e2e/test_chrome.py; this checks the settings it relies on)."""
from __future__ import annotations

import tomllib
from pathlib import Path

from dashboard.web import ui

ROOT = Path(__file__).resolve().parents[1]


def test_no_deploy_button_or_developer_menu_and_no_red_primary():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "minimal"  # no Deploy, no ⋮ (Rerun, Clear cache, Made with Streamlit)
    # Progress bars and primary buttons take this colour: a 95 % grado must not be drawn red.
    assert config["theme"]["primaryColor"].upper() == "#0072B2"


def test_the_favicon_is_a_local_file():
    app = (ROOT / "dashboard" / "web" / "app.py").read_text(encoding="utf-8")
    assert ":material/" not in app.split("set_page_config", 1)[1].split(")", 1)[0]  # fetched from fonts.gstatic.com
    icon = ROOT / "dashboard" / "web" / "static" / "favicon.png"
    assert icon.read_bytes().startswith(b"\x89PNG")


def test_the_uploader_speaks_italian():
    css = ui._ITALIAN_CHROME
    assert 'content: "Sfoglia"' in css and "al massimo 200 MB" in css
