"""The README and the labels keep up with the code (as datasette's test_docs.py does): every page,
CLI command and audit action is documented and labelled; every named query has an owner and is used."""
import argparse
import re
from pathlib import Path

import pytest

import queries
from dashboard import cli
from dashboard.core import audit, labels
from dashboard.web import navigation

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# Files run whole when a database is opened (dashboard/core/db.py), not query by query.
SCRIPTS = {"schema", "plan_versions_schema", "chain_schema", "succession_schema", "status_macros", "records_macros"}


def commands(parser: argparse.ArgumentParser, prefix: str = "") -> list[str]:
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out.append(f"{prefix}{name}")
                out += commands(sub, f"{prefix}{name} ")
    return out


@pytest.mark.parametrize("page", navigation.PAGES + [navigation.LOGIN], ids=lambda p: p[3])
def test_every_page_is_in_the_readme(page):
    assert f"**{page[1]}**" in README, f"README: manca la pagina «{page[1]}»"
    assert (ROOT / "pages" / page[0]).is_file()


@pytest.mark.parametrize("command", commands(cli.build_parser()))
def test_every_cli_command_is_in_the_readme(command):
    assert re.search(rf"dashboard\.cli (--\S+ \S+ )*{re.escape(command)}\b", README), f"README: manca il comando «{command}»"


@pytest.mark.parametrize("action", sorted(labels.ACTION_LABELS))
def test_every_audit_action_is_in_the_readme(action):
    assert f"`{action}`" in README, f"README: manca l'azione del registro «{action}»"


def test_an_audit_action_without_a_label_is_refused():
    con = __import__("duckdb").connect()
    with pytest.raises(KeyError, match="azione_inventata"):
        audit.record(con, "x", "azione_inventata")


def _owner(module: str) -> Path | None:
    for candidate in (ROOT / "queries" / f"{module}.py", ROOT / "dashboard" / "core" / f"{module}.py",
                      ROOT / "dashboard" / "files" / f"{module}.py"):
        if candidate.is_file():
            return candidate
    return None


@pytest.mark.parametrize("module", sorted(set(queries._MODULES) - SCRIPTS))
def test_every_sql_file_has_one_owner_that_uses_every_query(module):
    owner = _owner(module)
    assert owner is not None, f"queries/sql/{module}.sql: nessun modulo queries/{module}.py o dashboard/*/{module}.py"
    text = owner.read_text(encoding="utf-8")
    # f"insert_typed_{kind}" uses every query whose name starts with insert_typed_.
    prefixes = re.findall(r"""f["']([a-z_]+)\{""", text)
    unused = [name for name in queries.load(module)
              if f'"{name}"' not in text and f"'{name}'" not in text and not name.startswith(tuple(prefixes))]
    assert not unused, f"queries/sql/{module}.sql: query mai usate da {owner.relative_to(ROOT)}: {unused}"


def test_no_module_reads_another_modules_sql():
    strays = []
    for path in [*ROOT.glob("dashboard/**/*.py"), *ROOT.glob("queries/*.py"), *ROOT.glob("pages/*.py")]:
        for module in re.findall(r"""(?:sql|query|script)\(\s*["']([a-z_]+)["']""", path.read_text(encoding="utf-8")):
            owner = _owner(module)
            allowed = {owner, ROOT / "dashboard" / "core" / "db.py"} if module in SCRIPTS else {owner}
            if path not in allowed:
                strays.append(f"{path.relative_to(ROOT)} legge queries/sql/{module}.sql")
    assert not strays, "\n".join(strays)


def test_labels_cover_every_code():
    from dashboard.core import roles
    from queries import status
    assert set(labels.STATUS_LABELS) == set(status.STATUSES) == set(labels.STATUS_SYMBOLS)
    assert set(roles.ROLES) == set(labels.ROLE_LABELS)
