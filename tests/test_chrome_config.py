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
    # Progress bars and primary buttons take this colour: a 95 % grado must not be drawn red. A blue (dark
    # enough for the 4,5:1 contrast axe-core checks in tests/e2e/test_every_page.py).
    r, g, b = (int(config["theme"]["primaryColor"][i:i + 2], 16) for i in (1, 3, 5))
    assert b > 2 * r and b > g


def test_the_favicon_is_a_local_file():
    app = (ROOT / "dashboard" / "web" / "app.py").read_text(encoding="utf-8")
    assert ":material/" not in app.split("set_page_config", 1)[1].split(")", 1)[0]  # fetched from fonts.gstatic.com
    icon = ROOT / "dashboard" / "web" / "static" / "favicon.png"
    assert icon.read_bytes().startswith(b"\x89PNG")


def test_the_uploader_speaks_italian():
    css = ui._ITALIAN_CHROME
    assert 'content: "Sfoglia"' in css and "al massimo 200 MB" in css
