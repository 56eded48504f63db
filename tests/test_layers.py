"""The layers are visible in the path, and kept: Streamlit only in dashboard/web and pages/; the core
(domain) never reaches up into files or web; files never reach into web. A module that breaks this
fails here by name, with the import that does it."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What each layer may not import (prefixes of module names).
FORBIDDEN = {
    "dashboard/core": ("streamlit", "dashboard.web", "dashboard.files"),
    "dashboard/files": ("streamlit", "dashboard.web"),
    "queries": ("streamlit", "dashboard"),
    "dashboard/cli.py": ("streamlit", "dashboard.web"),
    "benchmarks": ("dashboard.web",),
}


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out += [(node.lineno, node.module)] + [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return out


def test_each_layer_imports_only_what_it_may():
    broken = []
    for where, banned in FORBIDDEN.items():
        target = ROOT / where
        files = [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))
        assert files, where
        for path in files:
            for line, module in imports_of(path):
                if any(module == b or module.startswith(b + ".") for b in banned):
                    broken.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not broken, "\n".join(broken)


def test_streamlit_only_in_web_and_pages():
    outside = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        # bench_pages and load_test drive the pages with AppTest, as the tests do.
        if (rel.startswith((".venv/", "dashboard/web/", "pages/", "tests/"))
                or rel in ("benchmarks/bench_pages.py", "benchmarks/load_test.py")):
            continue
        outside += [f"{rel}:{line}" for line, module in imports_of(path) if module.split(".")[0] == "streamlit"]
    assert not outside, outside


def test_the_layer_test_sees_a_violation(tmp_path):
    # The check itself must be able to fail: a core-like module importing streamlit is caught.
    bad = tmp_path / "bad.py"
    bad.write_text("from streamlit import session_state\nimport dashboard.web.ui\n")
    assert [m for _, m in imports_of(bad)] == ["streamlit", "streamlit.session_state", "dashboard.web.ui"]
