"""Extract target texts and reported results from the seed document.

Run once to produce data/lucca/target.csv and data/lucca/evidenze.csv; the CSV
files are then the maintained source (a person reads and diffs them). Kept so
anyone can see exactly how the texts were taken from the RPP 2020, and re-run
it against the seed to check nothing drifted (tests/test_seed_fidelity.py
checks the texts are verbatim).

    python data/tools/estrai_seed.py ../shared/seed/000_4cff061f8ed260ba.txt
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "lucca"
ENTE = "CCIAA-LU"

OBJ_RE = re.compile(r"^OBIETTIVO STRATEGICO (\d[A-F])")
OLD_TARGET_RE = re.compile(r"TARGET STRATEGICO (\d) – ANNO (\d{4})")
NEW_TARGET_RE = re.compile(r"^(?:- )?(\d)\) (.+)$")
RESULT_RE = re.compile(r"^RISULTATO CONSEGUITO al settembre (\d{4})")


def clean(text: str) -> str:
    return re.sub(r"\*+", "", text).strip()


def old_section(lines: list[str]):
    """The 'stato di attuazione' section: 2018/2019 targets and their results."""
    start = next(i for i, line in enumerate(lines) if line.startswith("LO STATO DI ATTUAZIONE DEL PROGRAMMA PLURIENNALE 2015 –"))
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith("LA PROGRAMMAZIONE 2020"))
    obj = None
    targets = []
    cur = None  # current target dict
    mode = None
    for line in lines[start:end]:
        m = OBJ_RE.match(line)
        if m:
            obj = m.group(1)
        if line.startswith("Servizi all'economia"):
            # The document omits the heading of objective 2D here (data-quality warning).
            obj = "2D"
        m = OLD_TARGET_RE.search(line)
        if m:
            cur = {"obiettivo": obj, "numero": int(m.group(1)), "anno": int(m.group(2)), "testo": None, "risultato": []}
            targets.append(cur)
            mode = "text"
            continue
        m = RESULT_RE.match(line)
        if m and cur is not None:
            mode = "result"
            rest = clean(line[m.end():])
            if rest:
                cur["risultato"].append(rest)
            continue
        if cur is None or not line.strip():
            continue
        if OBJ_RE.match(line) or line.startswith("AREA STRATEGICA") or line.startswith("Servizi di tipo") or line.startswith("Servizi all'economia"):
            mode = None
            continue
        if mode == "text" and cur["testo"] is None:
            cur["testo"] = clean(line)
        elif mode in ("text", "result"):
            # 3A.1 has no "RISULTATO CONSEGUITO" heading: what follows its text is its result.
            cur["risultato"].append(clean(line))
    return targets


def new_section(lines: list[str]):
    """The 2020 programme: 'TARGET STRATEGICI DI ENTE 2020-2021' lists."""
    start = next(i for i, line in enumerate(lines) if line.startswith("I PROGETTI 2020"))
    obj = None
    targets = []
    collecting = False
    for line in lines[start:]:
        m = OBJ_RE.match(line)
        if m:
            obj = m.group(1)
            collecting = False
            continue
        if line.startswith("TARGET STRATEGICI DI ENTE 2020-2021"):
            collecting = True
            continue
        if collecting:
            if line.startswith("Totale") or line.startswith("AREA STRATEGICA"):
                collecting = False
                continue
            m = NEW_TARGET_RE.match(line.strip())
            if m:
                targets.append({"obiettivo": obj, "numero": int(m.group(1)), "testo": clean(m.group(2))})
    return targets


def main(seed: str) -> None:
    lines = Path(seed).read_text(encoding="utf-8").splitlines()
    old = old_section(lines)
    new = new_section(lines)
    with open(OUT / "target.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["ente", "codice", "obiettivo", "numero", "anno_da", "anno_a", "peso", "testo"])
        for t in new:
            w.writerow([ENTE, f"{t['obiettivo']}.{t['numero']}", t["obiettivo"], t["numero"], 2020, 2021, 1, t["testo"]])
        for t in old:
            w.writerow([ENTE, f"{t['obiettivo']}.{t['numero']}", t["obiettivo"], t["numero"], t["anno"], t["anno"], 1, t["testo"]])
    with open(OUT / "evidenze.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["ente", "target", "anno_da", "anno", "trimestre", "testo", "fonte"])
        for t in old:
            text = "\n\n".join(t["risultato"]).strip()
            if text:
                w.writerow([ENTE, f"{t['obiettivo']}.{t['numero']}", t["anno"], t["anno"], 3, text,
                            f"RPP 2020, Risultato conseguito al settembre {t['anno']}"])
    print(f"{len(new)} target 2020-2021, {len(old)} target precedenti")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parents[3] / "shared/seed/000_4cff061f8ed260ba.txt"))
