"""A straightforward pandas computation of the engine's figures, for the benchmark only.

It follows the same rules as queries/sql/status_macros.sql, written the way one
would in a notebook, so the benchmark compares like with like and checks that
both give the same numbers.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def load_frames(con) -> dict[str, pd.DataFrame]:
    return {name: con.execute(f"SELECT * FROM {name}").df()
            for name in ("misure", "indicatori", "criteri", "target", "obiettivi", "aree", "smvp")}


def _grado(v, op, t):
    met = np.select([op == "<", op == "<=", op == ">", op == ">="], [v < t, v <= t, v > t, v >= t], False)
    up = np.where(t > 0, v / t * 100, 0)
    down = np.where(v > 0, t / np.where(v == 0, 1, v) * 100, 0)
    ratio = np.where(np.isin(op, [">", ">="]), up, down)
    g = np.where(met, 100.0, np.clip(ratio, 0, 99.99))
    return np.where(np.isnan(v), np.nan, g)


def status_levels(f: dict[str, pd.DataFrame], anno: int, trimestre: int, upto: str = "ente") -> dict[str, pd.DataFrame]:
    """Compute the levels from target up to `upto` (a level needs all the ones below it)."""
    m = f["misure"]
    m = m.sort_values("versione").groupby(["ente", "indicatore", "anno", "trimestre", "ambito"], as_index=False).last()
    m = m[m.anno.isin([anno, anno - 1]) & ((m.anno < anno) | (m.trimestre <= trimestre))]
    keys = ["ente", "indicatore", "anno"]
    tr = m[m.ambito == "trimestre"].sort_values("trimestre")
    tr = tr.assign(senza=tr.numeratore.isna() | tr.denominatore.isna())
    g = tr.groupby(keys)
    agg = pd.DataFrame({
        "n_trim": g.size(), "ultimo_trim": g.trimestre.max(), "somma": g.valore.sum(), "ultimo": g.valore.last(),
        "num": g.numeratore.sum(), "den": g.denominatore.sum(),
        "n_senza_casi": g.senza.sum(),
    }).reset_index()
    pr = m[m.ambito == "progressivo"].sort_values("trimestre").groupby(keys).agg(
        progressivo=("valore", "last"), trim_progressivo=("trimestre", "max")).reset_index()
    v = agg.merge(pr, on=keys, how="outer")
    ind = f["indicatori"].rename(columns={"codice": "indicatore"})
    v = v.merge(ind[["ente", "indicatore", "aggregazione", "fattore", "proiezione", "scala_max"]], on=["ente", "indicatore"])
    v["n_trim"] = v.n_trim.fillna(0)
    casi = np.where(v.n_senza_casi == 0, np.where(v.den > 0, v.num / v.den.where(v.den > 0) * v.fattore, np.nan),
                    np.where(v.n_trim == 1, v.ultimo, np.nan))
    v["valore"] = np.where(v.n_trim == 0, v.progressivo,
                           np.where(v.aggregazione == "somma", v.somma, np.where(v.aggregazione == "ultimo", v.ultimo, casi)))
    v["trimestre_dato"] = np.where(v.n_trim == 0, v.trim_progressivo, v.ultimo_trim)

    t = f["target"]
    t = t[(t.anno_da <= anno) & (t.anno_a >= anno)]
    c = t.rename(columns={"codice": "target"}).merge(f["criteri"], on=["ente", "target", "anno_da"])
    c = c.merge(ind[["ente", "indicatore", "proiezione", "scala_max"]], on=["ente", "indicatore"])
    cur = v[v.anno == anno][["ente", "indicatore", "valore", "trimestre_dato"]]
    prev = v[v.anno == anno - 1][["ente", "indicatore", "valore"]].rename(columns={"valore": "valore_prec"})
    c = c.merge(cur, on=["ente", "indicatore"], how="left").merge(prev, on=["ente", "indicatore"], how="left")
    const = (trimestre >= 4) | (c.proiezione == "costante") | (c.trimestre_dato >= 4)
    proj = np.where(const, c.valore, np.minimum(c.valore * 4.0 / c.trimestre_dato, c.scala_max.fillna(np.inf)))
    ratio = c.tipo == "rapporto_annuo"
    okprev = c.valore_prec > 0
    c["v"] = np.where(ratio, np.where(okprev, c.valore / c.valore_prec.where(okprev), np.nan), c.valore)
    c["vp"] = np.where(ratio, np.where(okprev, proj / c.valore_prec.where(okprev), np.nan), proj)
    judged = c.v if trimestre >= 4 else c.vp
    c["grado"] = _grado(judged.to_numpy(dtype=float), c.operatore.to_numpy(), c.soglia.to_numpy(dtype=float))
    tg = c.groupby(["ente", "target", "anno_da", "obiettivo", "peso"]).agg(
        n=("grado", "size"), n_mis=("grado", "count"), grado=("grado", "min")).reset_index()
    tg["grado"] = tg.grado.where(tg.n == tg.n_mis)
    s = f["smvp"].set_index("ente")
    tg = tg.join(s, on="ente")
    tg["status"] = _status(tg, trimestre)
    if upto == "target":
        return {"target": tg}

    tg["wg"] = tg.peso * tg.grado
    tg["w"] = tg.peso.where(tg.grado.notna())
    ob = tg.groupby(["ente", "obiettivo"]).agg(wg=("wg", "sum"), w=("w", "sum")).reset_index()
    ob["grado"] = ob.wg / ob.w.replace(0, np.nan)
    ob = ob.merge(f["obiettivi"].rename(columns={"codice": "obiettivo"})[["ente", "obiettivo", "area", "peso"]],
                  on=["ente", "obiettivo"])
    ob = ob.join(s, on="ente")
    ob["status"] = _status(ob, trimestre)
    if upto == "obiettivo":
        return {"target": tg, "obiettivo": ob}
    ob["wg"] = ob.peso * ob.grado
    ob["w"] = ob.peso.where(ob.grado.notna())
    ar = ob.groupby(["ente", "area"]).agg(wg=("wg", "sum"), w=("w", "sum")).reset_index()
    ar["grado"] = ar.wg / ar.w.replace(0, np.nan)
    ar = ar.merge(f["aree"].rename(columns={"codice": "area"})[["ente", "area", "peso"]], on=["ente", "area"])
    ar = ar.join(s, on="ente")
    ar["status"] = _status(ar, trimestre)
    if upto == "area":
        return {"target": tg, "obiettivo": ob, "area": ar}
    ar["wg"] = ar.peso * ar.grado
    ar["w"] = ar.peso.where(ar.grado.notna())
    en = ar.groupby("ente").agg(wg=("wg", "sum"), w=("w", "sum")).reset_index()
    en["grado"] = en.wg / en.w.replace(0, np.nan)
    en = en.join(s, on="ente")
    en["status"] = _status(en, trimestre)
    return {"target": tg, "obiettivo": ob, "area": ar, "ente": en}


def _status(df, trimestre):
    g = df.grado
    if trimestre < 4:
        return np.where(g.isna(), "non_rilevato", np.where(g >= df.soglia_raggiunto, "in_linea", "a_rischio"))
    return np.where(g.isna(), "non_rilevato", np.where(g >= df.soglia_raggiunto, "raggiunto",
                    np.where(g >= df.soglia_parziale, "parzialmente_raggiunto", "non_raggiunto")))
