"""Issue 15: publication for Amministrazione trasparente — frozen figures, restatements that keep the first
publication, the consistency check on hand-entered ITP, and a public page that shows nothing else."""
from __future__ import annotations

import json

import pytest

from dashboard.core import db, periods, publication, users
from dashboard.core.errors import NotAllowed
from dashboard.core.publication import NotPublishable
from tests.test_itp_law import imported, row
from tests.test_pages import open_page


@pytest.fixture
def con(with_users):
    users.add_user(with_users, "staff.rag", "staff", "CCIAA-LU", ["RAGIONERIA"], "password-rag")
    return with_users


def pianif(con):
    return users.require_user(con, "pianif")


def test_published_itp_is_frozen_and_restated_with_its_reason(con, tmp_path):
    imported(con, tmp_path, "q1.csv", [
        row("A1", "Alfa srl", "15/02/2020", "15/03/2020", "", "500,00", piva="01234567890"),
        row("P1", "Alfa srl", "01/02/2020", "02/03/2020", "10/03/2020", "100,00", piva="01234567890")])
    c = publication.publish(con, pianif(con), "CCIAA-LU", "itp", 2020, 1)
    assert c.righe == [{"periodo": "I trimestre 2020", "itp": 8.0, "fatture": 1, "importo_pagato": 100.0,
                        "debito_scaduto": 500.0, "imprese_creditrici": 1}]
    # Later invoices change the computed figure, not the published one.
    imported(con, tmp_path, "q1-bis.csv", [row("P2", "Beta", "01/02/2020", "02/03/2020", "12/03/2020", "100,00")])
    (p,) = publication.published(con, "CCIAA-LU")
    assert p.righe[0]["itp"] == 8.0 and p.versione == 1
    with pytest.raises(NotPublishable, match="indicare il motivo"):
        publication.publish(con, pianif(con), "CCIAA-LU", "itp", 2020, 1)
    publication.publish(con, pianif(con), "CCIAA-LU", "itp", 2020, 1, "problema tecnico nell'estrazione delle fatture")
    (p,) = publication.published(con, "CCIAA-LU")
    assert (p.versione, p.righe[0]["itp"], p.righe_prima[0]["itp"], p.motivo) == (
        2, 9.0, 8.0, "problema tecnico nell'estrazione delle fatture")
    with pytest.raises(NotPublishable, match="nulla da rettificare"):
        publication.publish(con, pianif(con), "CCIAA-LU", "itp", 2020, 1, "di nuovo")
    actions = [r[0] for r in con.execute("SELECT azione FROM audit WHERE azione LIKE 'dato_%' ORDER BY id").fetchall()]
    assert actions == ["dato_pubblicato", "dato_rettificato"]


def test_only_the_planning_office_publishes(con):
    with pytest.raises(NotAllowed):
        publication.publish(con, users.require_user(con, "staff.rag"), "CCIAA-LU", "itp", 2019, 1)
    assert publication.published(con, "CCIAA-LU") == []


def test_demo_values_and_open_years_are_not_published(demo_db):
    pc = users.add_user(demo_db, "pianif.demo", "pianificazione", "CCIAA-LU", ["PROGCONTR"], "password-pc")
    with pytest.raises(NotPublishable, match="dimostrativo"):
        publication.publish(demo_db, pc, "CCIAA-LU", "itp", 2020, 1)
    with pytest.raises(NotPublishable, match="trimestri aperti: I, II, III, IV"):
        publication.publish(demo_db, pc, "CCIAA-LU", "obiettivi", 2020, 0)
    for q in range(1, 5):
        periods.close(demo_db, pc, 2020, q)
    with pytest.raises(NotPublishable, match="valori dimostrativi"):
        publication.publish(demo_db, pc, "CCIAA-LU", "obiettivi", 2020, 0)


def test_annual_itp_outside_its_quarters_is_flagged(con):
    # A published series: quarters 12,12 / 9,52 / 8,96 / 9,50 and an annual 0,87, entered by hand.
    for q, v in enumerate([12.12, 9.52, 8.96, 9.50], start=1):
        con.execute("INSERT INTO misure (ente, indicatore, anno, trimestre, ambito, valore, versione, utente, registrato_il) "
                    "VALUES ('CCIAA-LU', 'ITP', 2018, ?, 'trimestre', ?, 1, 'test', now())", [q, v])
        publication.publish(con, pianif(con), "CCIAA-LU", "itp", 2018, q)
    con.execute("INSERT INTO misure (ente, indicatore, anno, trimestre, ambito, valore, versione, utente, registrato_il) "
                "VALUES ('CCIAA-LU', 'ITP', 2018, 4, 'progressivo', 0.87, 1, 'test', now())")
    c = publication.preview(con, "CCIAA-LU", "itp", 2018, 0)
    assert c.origine == "manuale"
    assert ("L'ITP annuale (0,87) è fuori dall'intervallo dei trimestri pubblicati (8,96 – 12,12): calcolato dalle "
            "stesse fatture non può esserlo. Verificare i dati prima di pubblicare.") in c.avvisi


def _publish_2019_q1(db_file):
    con = db.connect(db_file)
    pc = users.add_user(con, "pianif.pub", "pianificazione", "CCIAA-LU", ["PROGCONTR"], "password-pc")
    publication.publish(con, pc, "CCIAA-LU", "itp", 2019, 1)
    con.execute("UPDATE misure SET valore = -4.5 WHERE indicatore = 'ITP' AND anno = 2019 AND trimestre = 1")
    publication.publish(con, pc, "CCIAA-LU", "itp", 2019, 1, "problema tecnico")
    db.close(db_file)


def test_public_page_needs_no_login_and_shows_only_published(db_file):
    _publish_2019_q1(db_file)
    at = open_page("trasparenza", user=None)
    assert at.title[0].value == "Dati pubblicati"
    itp = at.table[0].value
    assert list(itp["Periodo"]) == ["I trimestre 2019"] and list(itp["ITP (giorni)"]) == ["-4,50"]
    notes = [i.value for i in at.info]
    assert len(notes) == 1 and "dato rettificato in data" in notes[0] and "(problema tecnico)" in notes[0]
    assert "-4,48" in notes[0]  # the first publication stays visible
    # The seed's II trimestre 2019 (-17,37) was never published; 2020 is demo: neither is reachable.
    text = " ".join(str(e.value) for e in at.main if hasattr(e, "value"))
    assert "-17,37" not in text and "pianif.pub" not in text
    other = open_page("trasparenza", user=None, ente="CCIAA-LU", dato="itp", anno="2020")
    assert other.info[0].value == "Nessun dato pubblicato per il 2020: sono mostrati gli anni pubblicati."
    assert other.table[0].value.shape[0] == 1  # an unpublished year in the address: the published years only
    assert all("2020" not in str(v) for v in other.table[0].value["Periodo"])


def test_open_data_downloads(db_file):
    _publish_2019_q1(db_file)
    from dashboard.web import public_views
    items = publication.published(db.connect(db_file), "CCIAA-LU")
    doc = json.loads(public_views.open_data_json("CCIAA-LU", "itp", items))
    assert doc["righe"][0]["itp"] == -4.5 and doc["rettifiche"][0]["prima_pubblicazione"]["righe"][0]["itp"] == -4.48
    assert b"utente" not in public_views.open_data_csv(items) and "utente" not in json.dumps(doc)


def test_publication_page_previews_and_publishes(db_file):
    from dashboard.core.roles import User
    planner = User("pianif.pub", "CCIAA-LU", "pianificazione", ("PROGCONTR",))
    con = db.connect(db_file)
    users.add_user(con, "pianif.pub", "pianificazione", "CCIAA-LU", ["PROGCONTR"], "password-pc")
    db.close(db_file)
    at = open_page("pubblicazione", user=planner)
    assert at.title[0].value == "Pubblicazione"
    assert at.error[0].value.startswith("L'ITP del periodo «I trimestre 2020» è un valore dimostrativo")
    at.number_input[0].set_value(2019).run()
    assert at.dataframe[0].value.iloc[0].to_dict() == {
        "Periodo": "I trimestre 2019", "ITP (giorni)": "-4,48", "Fatture pagate": "—", "Importo pagato (€)": "—",
        "Debito scaduto (€)": "—", "Imprese creditrici": "—"}
    assert at.warning[0].value.startswith("Valore inserito a mano")
    at.button[0].click().run()
    assert at.success[0].value.startswith("Pubblicato: Indicatore di tempestività dei pagamenti")
    (p,) = publication.published(db.connect(db_file), "CCIAA-LU")
    assert (p.periodo, p.righe[0]["itp"]) == ("I trimestre 2019", -4.48)


def test_the_public_page_is_for_everyone_and_publication_for_the_planning_office():
    from dashboard.web import navigation
    assert "trasparenza" in [p[3] for p in navigation.entries_for(None)]  # anonymous: every address, the rest asks login
    for role in ("segretario_generale", "oiv", "staff", "pianificazione"):
        urls = [p[3] for p in navigation.entries_for(role)]
        assert "trasparenza" in urls and ("pubblicazione" in urls) == (role == "pianificazione")
