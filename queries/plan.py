"""The plan as a tree (the `plan` command's JSON) and the offices with their indicators."""
from __future__ import annotations

from collections import defaultdict

import duckdb

from queries import sql


def _rows(con, name, params=None):
    cur = con.execute(sql("plan", name), params or {})
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _money(value) -> float:
    return float(value) if value is not None else None


def plan_tree(con: duckdb.DuckDBPyConnection) -> dict:
    """{"enti": [{code, name, areas: [{code, name, objectives: [...]}]}]} as documented in CLI.md."""
    events, targets, projects, budget = (defaultdict(list) for _ in range(4))
    for e in _rows(con, "eventi"):
        events[(e["ente"], e["obiettivo"])].append({
            "type": e["tipo"], "date": e["data"].isoformat(), "act": e["atto"], "note": e["nota"]})
    for t in _rows(con, "target"):
        first = t["criteri"][0]
        targets[(t["ente"], t["obiettivo"])].append({
            "code": t["codice"], "text": t["testo"], "years": [t["anno_da"], t["anno_a"]],
            "kind": first["tipo"], "operator": first["operatore"], "threshold": first["soglia"],
            "unit": first["unita"], "weight": t["peso"],
            "criteria": [{"indicator": c["indicatore"], "kind": c["tipo"], "operator": c["operatore"],
                          "threshold": c["soglia"], "unit": c["unita"], "office": c["ufficio"],
                          "rule": c["regola"], "baseline": c["valore_base"], "year": c["anno"]} for c in t["criteri"]],
        })
    for p in _rows(con, "progetti"):
        projects[(p["ente"], p["obiettivo"])].append({
            "code": p["codice"], "title": p["titolo"], "office": p["ufficio"], "office_code": p["codice_ufficio"],
            "cdc": p["cdc"], "cdc_as_printed": p["cdc_testo"]})
    for b in _rows(con, "budget"):
        budget[(b["ente"], b["obiettivo"])].append({
            "year": b["anno"], "oneri": _money(b["oneri"]), "ricavi": _money(b["ricavi"]),
            "contributi": _money(b["contributi"]), "investimenti": _money(b["investimenti"])})
    objectives = defaultdict(list)
    for o in _rows(con, "obiettivi"):
        key = (o["ente"], o["codice"])
        objectives[(o["ente"], o["area"])].append({
            "code": o["codice"], "title": o["titolo"], "status": o["status"], "weight": o["peso"],
            "events": events[key], "targets": targets[key], "projects": projects[key], "budget": budget[key]})
    areas = defaultdict(list)
    for a in _rows(con, "aree"):
        areas[a["ente"]].append({"code": a["codice"], "name": a["nome"], "weight": a["peso"],
                                 "objectives": objectives[(a["ente"], a["codice"])]})
    return {"enti": [{"code": e["codice"], "name": e["nome"], "areas": areas[e["codice"]]} for e in _rows(con, "enti")]}


def offices(con: duckdb.DuckDBPyConnection) -> list[dict]:
    indicators = defaultdict(list)
    for i in _rows(con, "indicatori_uffici"):
        indicators[(i["ente"], i["ufficio"])].append(
            {"code": i["codice"], "name": i["nome"], "unit": i["unita"], "target": i["target"]})
    return [{"ente": u["ente"], "code": u["codice"], "name": u["nome"], "cdc": u["cdc"],
             "indicators": indicators[(u["ente"], u["codice"])]} for u in _rows(con, "uffici")]


def enti(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The bodies in the database: [{codice, nome}] by code."""
    return _rows(con, "enti")


def ente_codes(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [e["codice"] for e in enti(con)]


def indicator_exists(con: duckdb.DuckDBPyConnection, ente: str, codice: str) -> bool:
    return con.execute(sql("plan", "indicator_exists"), {"ente": ente, "codice": codice}).fetchone()[0] > 0


def office_exists(con: duckdb.DuckDBPyConnection, ente: str, ufficio: str) -> bool:
    return con.execute(sql("plan", "office_exists"), {"ente": ente, "ufficio": ufficio}).fetchone()[0] > 0


def warnings(con: duckdb.DuckDBPyConnection, ente: str | None = None) -> list[dict]:
    return _rows(con, "segnalazioni", {"ente": ente})
