"""The seed plan loaded as data: what a planning officer would check against the RPP 2020."""
from decimal import Decimal

import queries
from queries import plan as plan_queries


def q(con, sql, params=None):
    return con.execute(sql, params or {}).fetchall()


def test_structure_counts(seeded):
    assert q(seeded, "SELECT codice, nome FROM aree ORDER BY codice") == [
        ("1", "Competitività del territorio"), ("2", "Servizi alle imprese"), ("3", "Competitività dell'Ente")]
    objectives = [r[0] for r in q(seeded, "SELECT codice FROM obiettivi ORDER BY codice")]
    assert objectives == ["1A", "1B", "1C", "1D", "1E", "1F", "2A", "2B", "2C", "2D", "2E",
                          "3A", "3B", "3C", "3D", "3E", "3F"]
    assert q(seeded, "SELECT count(*) FROM target WHERE anno_da = 2020 AND anno_a = 2021") == [(31,)]
    assert q(seeded, "SELECT count(*) FROM target WHERE anno_a < 2020") == [(34,)]
    assert q(seeded, "SELECT count(*) FROM progetti") == [(24,)]


def test_objective_life_events(seeded):
    tree = plan_queries.plan_tree(seeded)
    objectives = {o["code"]: o for a in tree["enti"][0]["areas"] for o in a["objectives"]}
    assert objectives["1C"]["status"] == "eliminato"
    assert objectives["1C"]["events"][0]["date"] == "2015-12-21"
    assert objectives["1A"]["status"] == "proposto_eliminazione"
    assert objectives["1E"]["status"] == "modificato"
    assert objectives["1E"]["events"][0]["act"] == "Delibera n. 8 del 17/11/2015"
    assert objectives["2B"]["events"][0]["date"] == "2016-10-15"
    assert objectives["2C"]["events"][0]["date"] == "2017-11-10"
    assert objectives["3A"]["status"] == "modificato"
    # The proposal to drop target 3 of 2A does not change the objective's status.
    assert objectives["2A"]["status"] == "attivo"
    assert objectives["2A"]["events"][0]["type"] == "proposta_eliminazione_target"
    assert objectives["1C"]["targets"] == [] and objectives["1A"]["targets"] == []


def test_targets_kinds_and_thresholds(seeded):
    tree = plan_queries.plan_tree(seeded)
    targets = {(t["code"], t["years"][0]): t for a in tree["enti"][0]["areas"]
               for o in a["objectives"] for t in o["targets"]}
    t = targets[("2A.1", 2020)]
    assert (t["kind"], t["operator"], t["threshold"], t["unit"]) == ("soglia", "<", 5.0, "giorni")
    assert t["text"].endswith("Risultato atteso: inferiore a 5 giorni")
    assert (targets[("2A.2", 2020)]["operator"], targets[("2A.2", 2020)]["threshold"]) == ("<=", 3.0)
    assert targets[("2A.3", 2020)]["kind"] == "rapporto_annuo" and targets[("2A.3", 2020)]["operator"] == ">"
    assert targets[("2B.1", 2020)]["kind"] == "rapporto_annuo"
    assert (targets[("1D.1", 2020)]["kind"], targets[("1D.1", 2020)]["threshold"]) == ("conteggio", 2.0)
    assert [c["indicator"] for c in targets[("1D.2", 2020)]["criteria"]] == ["ADR_CS_MEDIATORE", "ADR_CS_SERVIZIO"]
    assert (targets[("3F.1", 2020)]["kind"], targets[("3F.1", 2020)]["threshold"]) == ("percentuale", 80.0)
    assert targets[("2C.1", 2020)]["kind"] == "milestone"
    assert targets[("2A.1", 2018)]["years"] == [2018, 2018]


def test_projects_offices_and_cdc(seeded):
    tree = plan_queries.plan_tree(seeded)
    projects = {p["code"]: p for a in tree["enti"][0]["areas"] for o in a["objectives"] for p in o["projects"]}
    assert projects["2A0101"]["office"] == "Registro Imprese – Artigianato Protesti e documenti Export"
    assert projects["2A0101"]["cdc"] == "C002 Servizio Anagrafico certificativo"
    assert projects["3B0101"]["cdc"] == "A003 Programmazione e controllo"
    assert projects["2C0104"]["cdc_as_printed"] == "A005 Partecipazioni e quote"
    assert projects["2E0102"]["cdc_as_printed"] == "A005 Partecipazioni e quote associative"


def test_budget_totals_match_the_printed_ones(seeded):
    """Recompute area and overall totals from the objectives; the summaries count investments in external costs."""
    rows = seeded.execute(queries.sql("budget", "printed_check"), {"ente": None}).fetchall()
    assert rows and all(r[-1] for r in rows), [r for r in rows if not r[-1]]
    totals = dict(((r[0], r[1]), r[2]) for r in q(seeded, """
        SELECT o.area, 'oneri', sum(b.oneri) FROM budget b JOIN obiettivi o ON o.ente = b.ente AND o.codice = b.obiettivo GROUP BY o.area
        UNION ALL SELECT o.area, 'inv', sum(b.investimenti) FROM budget b JOIN obiettivi o ON o.ente = b.ente AND o.codice = b.obiettivo GROUP BY o.area
        UNION ALL SELECT o.area, 'ric', sum(b.ricavi + b.contributi) FROM budget b JOIN obiettivi o ON o.ente = b.ente AND o.codice = b.obiettivo GROUP BY o.area"""))
    assert totals[("1", "oneri")] == Decimal("134800.00")
    assert totals[("1", "ric")] == Decimal("225750.00")
    assert totals[("2", "oneri")] == Decimal("909176.00")
    assert totals[("2", "ric")] == Decimal("514000.00")
    assert totals[("3", "oneri")] == Decimal("113500.00")
    assert totals[("3", "inv")] == Decimal("160000.00")
    overall = q(seeded, "SELECT sum(oneri + investimenti), sum(investimenti), sum(ricavi + contributi) FROM budget")[0]
    assert overall == (Decimal("1318976.00"), Decimal("161500.00"), Decimal("754750.00"))


def test_document_inconsistencies_are_kept_as_warnings(seeded):
    warnings = plan_queries.warnings(seeded)
    text = "\n".join(w["descrizione"] for w in warnings)
    assert "«Partecipazioni e quote»" in text and "«Partecipazioni e quote associative»" in text
    assert "obiettivo 3E è indicato nel documento come «anno 2019»" in text
    assert "3D0101" in text and "COMPETITIVITA' DEL TERRITORIO" in text
    assert any(w["oggetto"] == "CdC B001, B003" for w in warnings)
    assert any(w["origine"] == "documento" and w["oggetto"] == "obiettivo 2D" for w in warnings)
    # Kept, not fixed: the project sheet still says what the document says.
    assert q(seeded, "SELECT area_testo FROM progetti WHERE codice = '3D0101'") == [("COMPETITIVITA' DEL TERRITORIO",)]


def test_seed_results_are_measurements_of_their_period(seeded):
    rows = q(seeded, "SELECT indicatore, anno, trimestre, ambito, valore, demo FROM misure ORDER BY indicatore, anno, trimestre")
    by = {(r[0], r[1], r[2]): r for r in rows}
    assert by[("ADR_CS_SERVIZIO", 2019, 3)][3:] == ("progressivo", 4.5, False)
    assert by[("ADR_CS_MEDIATORE", 2019, 3)][4] == 4.8
    assert by[("RI_TEMPO_LAV", 2018, 3)][4] == 2.1
    assert by[("RI_SOSP_QUOTA", 2018, 3)][4] == 26.22
    assert by[("ITP", 2019, 1)][3:5] == ("trimestre", -4.48)
    assert by[("ITP", 2019, 2)][4] == -17.37
    assert by[("MUSA_PRESENZE", 2019, 3)][4] == 1013
    assert by[("CS_SPORTELLI", 2019, 2)][4] == 9.62
    evidence = q(seeded, "SELECT target, anno, testo FROM evidenze WHERE target = '2A.1'")
    assert evidence == [("2A.1", 2018, "Il tempo medio di lavorazione camerale delle pratiche è pari a 2,1 giorni.")]
