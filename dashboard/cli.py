"""The command line: `python -m dashboard.cli <command>` (contract in shared/CLI.md).

Exit status 0 on success, 1 when the input is refused, 2 on wrong usage, 3 when the database is busy or
unreachable (after waiting $KPI_DB_WAIT seconds), 70 on an internal error.
Errors go to stderr in Italian; `--format json` prints only JSON on stdout.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import math
import signal
import sys
from pathlib import Path

import pandas as pd

from dashboard.core import (
    accounts,
    body_access,
    config,
    db,
    demo,
    formats,
    itp_rules,
    labels,
    mailer,
    measurements,
    migrate,
    publication,
    reminders,
    roles,
    users,
)
from dashboard.core.errors import DatabaseBusy, Refused
from dashboard.core.roles import User
from dashboard.files import (
    demo_bodies,
    evaluation_export,
    measurement_import,
    piao_export,
    plan_versions,
    plan_workbook,
    records_import,
    relazione_export,
    seed_loader,
    templates,
)
from queries import metrics as metrics_queries
from queries import plan as plan_queries
from queries import status as status_queries

# Exit statuses of the contract (shared/CLI.md); 2 is argparse's wrong usage.
EXIT_REFUSED, EXIT_BUSY, EXIT_BUG = 1, 3, 70
DEMO_USERS = [  # (username, role, offices, password): for the demo database only, listed in the README
    ("segretario", "segretario_generale", [], "demo-segretario"),
    ("oiv", "oiv", [], "demo-oiv-2020"),
    ("pianificazione", "pianificazione", ["PROGCONTR"], "demo-pianificazione"),
    ("staff.ri", "staff", ["RI"], "demo-staff-ri"),
    ("staff.adr", "staff", ["ADR"], "demo-staff-adr"),
    ("resp.ri", "responsabile", ["RI"], "demo-resp-ri"),
    ("nazionale", "nazionale", [], "demo-nazionale"),
]
# The demo accounts of Toscana Nord-Ovest (`init --demo-bodies`), listed in the README.
DEMO_BODY_USERS = [
    ("segretario.tno", "segretario_generale", [], "demo-segretario-tno"),
    ("oiv.tno", "oiv", [], "demo-oiv-tno"),
    ("pianificazione.tno", "pianificazione", [], "demo-pianificazione-tno"),
]


def _json(obj) -> None:
    # Standard JSON only: a non-finite number (never stored, but never printed as Infinity either) is null.
    json.dump(_finite(obj), sys.stdout, ensure_ascii=False, indent=2, default=_json_default, allow_nan=False)
    sys.stdout.write("\n")


def _finite(obj):
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    if getattr(obj, "ndim", None) == 0 and hasattr(obj, "item"):  # numpy scalars
        return _finite(obj.item())
    return obj


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def _ente(con, explicit: str | None) -> str:
    enti = plan_queries.ente_codes(con)
    if explicit:
        if explicit not in enti:
            raise Refused(f"Ente «{explicit}» sconosciuto.")
        return explicit
    if len(enti) == 1:
        return enti[0]
    if not enti:
        raise Refused("Il database non contiene alcun ente: eseguire prima «init».")
    raise Refused(f"Il database contiene più enti ({', '.join(enti)}): indicare --ente.")


def _acting(con, args, write: bool = True) -> User:
    """The `--user` of a command acting in `--ente` (default: the user's own body), checked by body_access:
    a body the user does not belong to (or, writing, may only read) is refused, exit 1."""
    return users.acting(con, users.require_user(con, args.user), args.ente, write=write)


def _reader(con, args) -> User | None:
    """A read command's optional `--user`: then it reads only the bodies that user may read."""
    return users.acting(con, args.user, args.ente, write=False) if getattr(args, "user", None) else None


def cmd_init(args, con) -> int:
    target = config.db_target(args.db)
    path = db.redacted(target) if isinstance(target, str) else target
    if seed_loader.plan_loaded(con):
        print(f"Il database {path} contiene già il piano: nessuna modifica.")
        return 0
    if args.plan:
        return _init_from_workbook(args, con, path)
    seed_loader.load_seed(con)
    print(f"Piano caricato in {path}: Camera di Commercio di Lucca, RPP 2020.")
    if not args.no_demo:
        n = demo.load_demo(con)
        for username, role, offices, password in DEMO_USERS:
            # The national demo account reads every body loaded (Lucca, and any demo body beside it).
            users.add_user(con, username, role, "CCIAA-LU", offices, password,
                           enti=plan_queries.ente_codes(con) if role == "nazionale" else None)
        print(f"Caricate {n} misure dimostrative 2020 (marcate come «demo») e {len(DEMO_USERS)} utenti dimostrativi.")
        if args.demo_bodies:
            _init_demo_bodies(con)
    return 0


def _init_demo_bodies(con) -> None:
    """Pisa, Massa-Carrara and Toscana Nord-Ovest (demo), asked for explicitly: they add seconds to `init`."""
    n = demo_bodies.load(con)
    for username, role, offices, password in DEMO_BODY_USERS:
        users.add_user(con, username, role, demo_bodies.SUCCESSOR, offices, password)
    # The national demo account reads every body loaded: these came after it was created.
    codes = plan_queries.ente_codes(con)
    body_access.set_bodies(con, "nazionale", add=codes, actor_name="init", known=codes)
    print(f"Caricati gli enti dimostrativi di Pisa, Massa-Carrara e Toscana Nord-Ovest con {formats.fmt_num(n, 0)} record generati "
          f"e {len(DEMO_BODY_USERS)} utenti dimostrativi della Toscana Nord-Ovest.")


def _init_from_workbook(args, con, path) -> int:
    """A new database from any plan workbook, adopted as version 1 (no demo data: that is Lucca's)."""
    atto = args.act or f"Caricamento iniziale del piano ({Path(args.plan).name})"
    data_atto = formats.parse_date(args.date) if args.date else (None if args.act else dt.date.today())
    with db.transaction(con, lock=True):
        result = plan_versions.import_in_transaction(con, User("init", "", "pianificazione", ()), Path(args.plan),
                                                     atto=atto, adopt=True, data_atto=data_atto)
        con.execute("INSERT INTO meta VALUES ('piano_caricato', $quando)", {"quando": dt.datetime.now().isoformat()})
    print(f"Piano dell'ente {result.ente} caricato in {path} da {args.plan} e adottato come versione 1 ({atto}).")
    return 0


def _readable_rows(con, args, rows: list[dict], key: str) -> list[dict]:
    """With `--user`: only the rows of the bodies that user reads (with `--ente`, of that body, checked)."""
    reader = _reader(con, args)
    if reader is None:
        return rows
    enti = [reader.ente] if args.ente else body_access.readable_bodies(con, reader)
    return [r for r in rows if r[key] in enti]


def cmd_plan(args, con) -> int:
    tree = plan_queries.plan_tree(con)
    _json({**tree, "enti": _readable_rows(con, args, tree["enti"], "code")})
    return 0


def _plan_ente(con, explicit: str | None) -> str:
    """The body of a plan command: also one known only by its versions (a new body's draft)."""
    if explicit and any(v["ente"] == explicit for v in plan_versions.versions(con, explicit)):
        return explicit
    return _ente(con, explicit)


def _date(raw):
    return formats.parse_date(raw) if raw else None


def _version_row(v: dict) -> dict:
    return {"ente": v["ente"], "version": v["versione"], "status": v["stato"], "act": v["atto"],
            "act_date": v["data_atto"], "in_force_from": v["in_vigore_dal"], "in_force": bool(v["in_vigore"]),
            "loaded_by": v["caricato_da"], "loaded_at": v["caricato_il"], "adopted_by": v["adottato_da"],
            "adopted_at": v["adottato_il"], "sha256": v["sha256"], "source": v["origine"]}


def cmd_plan_template(args, con) -> int:
    Path(args.out).write_bytes(plan_workbook.template_bytes())
    print(f"Modello del piano scritto in {args.out}: {len(plan_workbook.SHEETS)} fogli e «Istruzioni».")
    return 0


def cmd_plan_export(args, con) -> int:
    ente = _plan_ente(con, args.ente)
    Path(args.out).write_bytes(plan_versions.export_bytes(con, ente, args.version))
    which = f"versione {args.version}" if args.version else "piano in vigore"
    print(f"Piano dell'ente {ente} ({which}) scritto in {args.out}.")
    return 0


def cmd_plan_import(args, con) -> int:
    user = _acting(con, args)
    result = plan_versions.import_version(con, user, Path(args.file), atto=args.act, adopt=args.adopt,
                                          data_atto=_date(args.date), in_vigore_dal=_date(args.in_force_from))
    if args.format == "json":
        _json({"ente": result.ente, "version": result.versione, "status": result.stato, "new_body": result.nuovo_ente,
               "sha256": result.sha256, "rows": result.righe, "diff": result.diff})
        return 0
    stato = "adottata" if result.stato == "adottato" else "caricata come bozza (non giudica nulla finché non è adottata)"
    print(f"Piano dell'ente {result.ente}{' (nuovo ente)' if result.nuovo_ente else ''}: versione {result.versione} "
          f"{stato}; {sum(result.righe.values())} righe in {len(result.righe)} fogli.")
    if result.diff is not None:
        print(plan_versions.diff_text(result.diff))
    return 0


def cmd_plan_adopt(args, con) -> int:
    user = _acting(con, args)
    ente = _plan_ente(con, args.ente)
    plan_versions.adopt(con, user, ente, args.version, args.act, _date(args.date), _date(args.in_force_from))
    print(f"Versione {args.version} del piano dell'ente {ente} adottata ({args.act}).")
    return 0


def cmd_plan_versions(args, con) -> int:
    rows = [_version_row(v) for v in plan_versions.versions(con, args.ente)]
    if args.ente and not rows:
        _ente(con, args.ente)  # an unknown body is refused as everywhere else
    if args.format == "json":
        _json({"ente": args.ente, "versions": rows})
        return 0
    for r in rows:
        stato = "adottata" if r["status"] == "adottato" else "bozza"
        print(f"{r['ente']} v{r['version']}: {stato}{' — IN VIGORE' if r['in_force'] else ''}; "
              f"atto: {r['act'] or '–'}; in vigore dal {formats.fmt_date(r['in_force_from']) if r['in_force_from'] else '–'}; "
              f"caricata da {r['loaded_by']} il {formats.fmt_datetime(r['loaded_at'])}")
    return 0


def cmd_plan_diff(args, con) -> int:
    ente = _plan_ente(con, args.ente)
    d = plan_versions.diff(con, ente, args.from_version, args.to_version)
    if args.format == "json":
        _json(d)
    else:
        print(plan_versions.diff_text(d))
    return 0


def cmd_plan_rollover(args, con) -> int:
    user = _acting(con, args)
    ente = _ente(con, args.ente)
    result = plan_versions.rollover(con, user, ente, args.to, atto=args.act)
    print(f"Bozza del piano {args.to} dell'ente {ente} caricata come versione {result.versione}: "
          f"{result.righe['target']} target, {result.righe['criteri']} criteri. Adottarla con «plan adopt».")
    if result.diff is not None:
        print(plan_versions.diff_text(result.diff))
    return 0


def _status_rows(df, livello: str) -> list[dict]:
    rows = []
    for r in df.to_dict("records"):
        row = {"ente": r["ente"], "code": r["codice"], "value": _clean(r.get("valore")),
               "grado": _round(r.get("grado")), "status": r["status"]}
        if livello == "target":
            row.update({"year_from": r["anno_da"], "objective": r["obiettivo"], "kind": r["tipo"],
                        "operator": r["operatore"], "threshold": r["soglia"],
                        "projected_value": _clean(r["valore_proiettato"]),
                        "reason_not_measured": _clean(r["motivo_non_rilevato"]), "demo": bool(r["demo"])})
        else:
            row.update({k: int(r[k]) for k in ("n_target", "n_rilevati", "n_raggiunto", "n_parzialmente_raggiunto",
                                               "n_non_raggiunto", "n_in_linea", "n_a_rischio", "n_non_rilevato")})
            row["demo"] = bool(r["demo"])
        rows.append(row)
    return rows


def _clean(v):
    """NaN and pandas NA -> None, for JSON."""
    return None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v


def _round(v):
    v = _clean(v)
    return None if v is None else round(float(v), 2)


def cmd_status(args, con) -> int:
    reader = _reader(con, args)
    df = status_queries.status(con, args.year, args.quarter, args.level, args.ente)
    if reader is not None:  # every body's rows without --ente: only those the user reads
        df = df[df["ente"].isin(body_access.readable_bodies(con, reader))]
    rows = _status_rows(df, args.level)
    if args.format == "json":
        _json({"year": args.year, "quarter": args.quarter, "level": args.level, "rows": rows})
        return 0
    if args.format == "csv":
        w = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
        w.writerow(["ente", "codice", "valore", "grado", "stato"])
        for r in rows:
            w.writerow([r["ente"], r["code"], "" if r["value"] is None else formats.fmt_num(r["value"]).replace(".", ""),
                        "" if r["grado"] is None else formats.fmt_num(r["grado"]).replace(".", ""), r["status"]])
        return 0
    title = f"Stato al {formats.fmt_period(args.year, args.quarter)}" if args.quarter else f"Stato a fine {args.year}"
    print(f"{title} — livello {args.level}")
    print(f"{'codice':<10} {'valore':>12} {'grado':>8}  stato")
    for r in rows:
        value = formats.fmt_num(r["value"]) if r["value"] is not None else "–"
        grado = formats.fmt_num(r["grado"], 1) if r["grado"] is not None else "–"
        print(f"{r['code']:<10} {value:>12} {grado:>8}  {labels.STATUS_LABELS[r['status']]}")
    return 0


def cmd_offices(args, con) -> int:
    _json(_readable_rows(con, args, plan_queries.offices(con), "ente"))
    return 0


def cmd_template(args, con) -> int:
    ente = _ente(con, args.ente)
    anno, trimestre = formats.parse_period(args.period)
    rows = templates.template_rows(con, ente, args.office, anno, trimestre)
    templates.write_template(rows, Path(args.out))
    print(f"Modello scritto in {args.out}: {len(rows)} indicatori dell'ufficio {args.office}, "
          f"{formats.fmt_period(anno, trimestre)}.")
    return 0


def cmd_import(args, con) -> int:
    path = Path(args.file)
    user = _acting(con, args)
    if not path.exists():
        raise Refused(f"{path.name}: file non trovato.")
    result = db.retrying(measurement_import.import_file, con, path, user)  # again if another process wrote the same
    if not result.ok:
        print(f"Importazione rifiutata: nessun valore è stato scritto "
              f"({formats.plural(len(result.problems), 'problema', 'problemi')}).", file=sys.stderr)
        for p in result.problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    counts = {a: sum(c.azione == a for c in result.changes) for a in ("nuovo", "corretto", "invariato")}
    if args.format == "json":
        _json({"file": result.file, "changes": [c.__dict__ for c in result.changes], "counts": counts})
        return 0
    print(f"Importazione di {result.file} completata: {counts['nuovo']} nuovi, {counts['corretto']} corretti, "
          f"{counts['invariato']} invariati.")
    for c in result.changes:
        if c.azione == "corretto":
            print(f"  {c.indicatore} {formats.fmt_period(c.anno, c.trimestre)}: "
                  f"{formats.fmt_num(c.valore_prima)} → {formats.fmt_num(c.valore_dopo)} (versione {c.versione})")
        elif c.azione == "nuovo":
            print(f"  {c.indicatore} {formats.fmt_period(c.anno, c.trimestre)}: {formats.fmt_num(c.valore_dopo)}")
    return 0


def cmd_history(args, con) -> int:
    reader = _reader(con, args)
    ente = reader.ente if reader else _ente(con, args.ente)
    if not plan_queries.indicator_exists(con, ente, args.indicator):
        raise Refused(f"Indicatore «{args.indicator}» sconosciuto per l'ente {ente}.")
    rows = measurements.history(con, ente, args.indicator)
    out = [{"period": formats.period_code(r["anno"], r["trimestre"]), "scope": r["ambito"], "version": r["versione"],
            "value": r["valore"], "numerator": r["numeratore"], "denominator": r["denominatore"],
            "who": r["utente"], "when": r["registrato_il"], "why": r["motivo"], "note": r["note"],
            "source": r["fonte"], "demo": r["demo"], "current": r["in_vigore"]} for r in rows]
    _json({"ente": ente, "indicator": args.indicator, "versions": out})
    return 0


def cmd_user_add(args, con) -> int:
    # Without --ente, a user given only --body (e.g. the national role) has the first of them as its own.
    ente = _ente(con, args.ente or (args.body[0] if args.body else None))
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    users.add_user(con, args.name, args.role, ente, args.office or [], password, email=args.email, enti=args.body)
    bodies = body_access.member_bodies(con, args.name)
    print(f"Utente {args.name} creato con ruolo {labels.ROLE_LABELS[args.role]}, enti: {', '.join(bodies)}.")
    return 0


def cmd_user_bodies(args, con) -> int:
    """The bodies of an account; --add / --remove change them (its own body stays)."""
    if args.add or args.remove:
        body_access.set_bodies(con, args.name, args.add or [], args.remove or [], known=plan_queries.ente_codes(con))
    elif users.get_user(con, args.name) is None:
        raise Refused(f"Utente «{args.name}» sconosciuto.")
    user = users.get_user(con, args.name)
    out = {"user": args.name, "role": user.ruolo, "own_body": user.ente,
           "bodies": body_access.member_bodies(con, args.name),
           "readable": body_access.readable_bodies(con, user), "writable": body_access.writable_bodies(con, user)}
    if args.format == "json":
        _json(out)
        return 0
    print(f"Utente {args.name} ({labels.ROLE_LABELS[user.ruolo]}): enti {', '.join(out['bodies'])}; "
          f"consulta {', '.join(out['readable']) or '–'}; scrive {', '.join(out['writable']) or '–'}.")
    return 0


def _account_admin(con, args) -> User | None:
    """`user passwd|disable|enable --user NAME`: that planning officer, acting in --ente (default: its own body),
    checked by core/accounts.py as on the page; without --user whoever holds the file acts, as «cli»."""
    return _acting(con, args) if args.user else None


def _account_done(args, con, text: str, ended: int | None) -> int:
    if args.format == "json":
        _json({"user": args.name, "active": users.is_active(con, args.name), "sessions_ended": ended})
    else:
        print(text)
    return 0


def cmd_user_passwd(args, con) -> int:
    """A new password for an account (first line of stdin); every session of the account ends."""
    password = sys.stdin.readline().rstrip("\r\n")
    ended = accounts.reset_password(con, args.name, password, args.reason, actor=_account_admin(con, args))
    return _account_done(args, con, f"Nuova password impostata per {args.name}: "
                         f"{formats.plural(ended, 'sessione chiusa', 'sessioni chiuse')}.", ended)


def cmd_user_disable(args, con) -> int:
    ended = accounts.disable(con, args.name, args.reason, actor=_account_admin(con, args))
    return _account_done(args, con, f"Account {args.name} disattivato: "
                         f"{formats.plural(ended, 'sessione chiusa', 'sessioni chiuse')}.", ended)


def cmd_user_enable(args, con) -> int:
    accounts.enable(con, args.name, args.reason, actor=_account_admin(con, args))
    return _account_done(args, con, f"Account {args.name} riattivato.", None)


def cmd_records_import(args, con) -> int:
    # Several files are imported side by side, each all or nothing on its own (one batch each).
    user = _acting(con, args)
    files = [(args.kind, Path(f)) for f in args.file]
    results = (records_import.import_many(con, files, user) if len(files) > 1
               else [records_import.import_records(con, args.kind, files[0][1], user)])
    for result in results:
        if not result.ok:
            print(f"Importazione di {result.file} rifiutata: nessun record del file è stato scritto "
                  f"({formats.plural(result.total_problems, 'problema', 'problemi')}"
                  + (f", elencati i primi {len(result.problems)}" if result.total_problems > len(result.problems) else "")
                  + ").", file=sys.stderr)
            for p in result.problems:
                print(f"  {p}", file=sys.stderr)
    done = [r for r in results if r.ok]
    if args.format == "json":
        out = [{"file": r.file, "kind": r.kind, "records": r.rows, "batch": r.lotto, "sha256": r.sha256,
                "changes": [c.__dict__ for c in r.changes]} for r in done]
        if len(results) == 1:
            if done:
                _json(out[0])
        else:
            _json(out)
    else:
        for result in done:
            print(f"Importati {formats.fmt_num(result.rows, 0)} record {result.kind} da {result.file} "
                  f"(lotto {result.lotto}, sha256 {result.sha256[:16]}…).")
            for c in result.changes:
                if c.azione != "invariato":
                    print(f"  {c.indicatore} {formats.fmt_period(c.anno, c.trimestre)}: "
                          f"{formats.fmt_num(c.valore_prima)} → {formats.fmt_num(c.valore_dopo)}")
    return 0 if len(done) == len(results) else 1


def cmd_records_template(args, con) -> int:
    out = Path(args.out)
    out.write_bytes(records_import.template_bytes(args.kind, out.suffix.lower()))
    optional = records_import.OPTIONAL.get(args.kind, [])
    print(f"Modello dei record {args.kind} scritto in {out}: colonne {', '.join(records_import.KINDS[args.kind])}"
          + (f"; facoltative {', '.join(optional)}" if optional else "") + ".")
    return 0


def cmd_records_itp_rule(args, con) -> int:
    ente = _ente(con, args.ente)
    if args.set:
        if not args.user:
            print("Per cambiare la regola indicare --user (ruolo pianificazione).", file=sys.stderr)
            return 2
        itp_rules.set_reading(con, _acting(con, args), ente, args.set)
    regola = itp_rules.reading(con, ente)
    print(f"ITP di {ente}, fatture contestate: {regola} ({itp_rules.READINGS[regola]}).")
    return 0


def cmd_metrics(args, con) -> int:
    reader = _reader(con, args)
    # Through the store itself, not db.local_records: a command reads once, and copying the records first costs
    # more than the scan it saves (national year on PostgreSQL: copy 46,7 s + 17,3 s against 36,9 s through the
    # attach under the same load; benchmarks/bench_records.py, README).
    df = metrics_queries.metrics(con, args.kind, args.year, args.quarter, args.ente)
    if reader is not None and "ente" in df.columns:  # every body's rows without --ente: only those the user reads
        df = df[df["ente"].isin(body_access.readable_bodies(con, reader))]
    rows = [{k: _clean(v) for k, v in r.items()} for r in df.to_dict("records")]
    _json({"kind": args.kind, "year": args.year, "quarter": args.quarter, "rows": rows})
    return 0


def cmd_publish(args, con) -> int:
    ente = _ente(con, args.ente)
    c = publication.publish(con, _acting(con, args), ente, args.what, args.year, args.quarter or 0,
                            args.reason)
    for warning in c.avvisi:
        print(f"Attenzione: {warning}", file=sys.stderr)
    print(f"Pubblicato: {publication.DATI[args.what]}, {c.periodo} ({len(c.righe)} righe, {c.origine}).")
    return 0


def cmd_export(args, con) -> int:
    reader = _reader(con, args)
    ente = reader.ente if reader else _ente(con, args.ente)
    nome = {e["codice"]: e["nome"] for e in plan_queries.enti(con)}[ente]
    if args.what == "piao":
        n = piao_export.write(con, ente, nome, args.year, Path(args.out))
        print(f"PIAO {args.year}-{args.year + 2}, sezione 2.2 Performance, scritto in {args.out}: {n} righe.")
        return 0
    if args.what in ("relazione", "validazione"):
        n = relazione_export.write(con, ente, nome, args.year, args.what, Path(args.out))
        what = "Relazione sulla performance" if args.what == "relazione" else "Scheda di validazione dell'OIV"
        print(f"{what} {args.year} scritta in {args.out}: {n} target.")
        return 0
    n = evaluation_export.write(con, ente, nome, args.year, Path(args.out))
    print(f"Tabella di valutazione {args.year} scritta in {args.out}: {n} target.")
    return 0


def cmd_reminders_send(args, con) -> int:
    utente = "cli"
    if args.user:  # as that user: the planning office of a body it writes (cron without --user holds the file)
        user = _acting(con, args)
        roles.require(user, "inviare_promemoria")
        ente, utente = user.ente, user.username
    else:
        ente = _ente(con, args.ente)
    today = formats.parse_date(args.today) if args.today else dt.date.today()
    try:
        report = reminders.send_due(con, ente, today, config.smtp_settings(), dry_run=args.dry_run, utente=utente)
    except mailer.MailUnavailable as exc:
        # The server is down or refuses us: the messages stay in the outbox, waiting; cron tries again.
        print(f"{exc}. I messaggi restano in attesa nella posta in uscita: riprovare più tardi.", file=sys.stderr)
        return EXIT_BUSY
    if args.format == "json":
        _json(report)
        return 0
    prefix = "Prova (nulla inviato né registrato): " if args.dry_run else ""
    print(f"{prefix}{len(report['nuovi'])} nuovi promemoria composti"
          + (f", {report['da_inviare']} da inviare." if args.dry_run
             else f"; inviati {report['inviati']}, errori {report['errori']}."))
    for m in report["nuovi"]:
        print(f"  {m['destinatario']}: {m['oggetto']}")
    if report["senza_indirizzo"]:
        print("Uffici con valori mancanti ma senza indirizzo e-mail: " + ", ".join(report["senza_indirizzo"]))
    return 0 if report["errori"] == 0 else EXIT_REFUSED


_READ_AS = "legge come questo utente: solo gli enti che può consultare (altrimenti rifiutato)"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m dashboard.cli", description="Cruscotto Performance — riga di comando")
    p.add_argument("--db", help="file DuckDB o indirizzo postgresql://utente@host:porta/database "
                                "(predefinito: $KPI_DB, altrimenti data/kpi.duckdb)")
    p.add_argument("--ente", help="codice dell'ente, se il database ne contiene più d'uno")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("init", help="crea il database e carica il piano")
    s.add_argument("--no-demo", action="store_true", help="non caricare le misure dimostrative")
    s.add_argument("--demo-bodies", action="store_true",
                   help="anche gli enti dimostrativi della fusione in Toscana Nord-Ovest (Pisa, Massa-Carrara)")
    s.add_argument("--plan", help="un nuovo database da questo piano (.xlsx o cartella di CSV) invece di Lucca")
    s.add_argument("--act", help="con --plan: l'atto che adotta il piano")
    s.add_argument("--date", help="con --plan: la data dell'atto (gg/mm/aaaa), se l'atto non la contiene")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("plan", help="il piano: completo in JSON, cartella di lavoro, versioni")
    s.add_argument("--format", choices=["json"], default="json")
    s.add_argument("--user", help=_READ_AS)
    s.set_defaults(func=cmd_plan)
    psub = s.add_subparsers(dest="plan_command")
    q = psub.add_parser("template", help="la cartella di lavoro del piano vuota, con istruzioni ed elenchi")
    q.add_argument("--out", required=True, help="file .xlsx")
    q.set_defaults(func=cmd_plan_template)
    q = psub.add_parser("export", help="il piano in vigore (o la versione N) come cartella di lavoro")
    q.add_argument("--version", type=int)
    q.add_argument("--out", required=True, help="file .xlsx")
    q.set_defaults(func=cmd_plan_export)
    q = psub.add_parser("import", help="carica un piano (.xlsx o cartella di CSV) come nuova versione")
    q.add_argument("file")
    q.add_argument("--user", required=True)
    q.add_argument("--act", help="l'atto, es. «Delibera di Giunta n. 4 del 28/01/2020»")
    q.add_argument("--date", help="la data dell'atto (gg/mm/aaaa), se il testo dell'atto non la contiene")
    q.add_argument("--in-force-from", help="in vigore dal (gg/mm/aaaa); predefinito: la data dell'atto")
    q.add_argument("--adopt", action="store_true", help="adotta subito la versione (altrimenti è una bozza)")
    q.add_argument("--format", choices=["json", "text"], default="text")
    q.set_defaults(func=cmd_plan_import)
    q = psub.add_parser("adopt", help="adotta una bozza con il suo atto")
    q.add_argument("--version", type=int, required=True)
    q.add_argument("--act", required=True)
    q.add_argument("--date")
    q.add_argument("--in-force-from")
    q.add_argument("--user", required=True)
    q.set_defaults(func=cmd_plan_adopt)
    q = psub.add_parser("versions", help="le versioni del piano con i loro atti")
    q.add_argument("--format", choices=["json", "text"], default="text")
    q.set_defaults(func=cmd_plan_versions)
    q = psub.add_parser("diff", help="che cosa cambia tra due versioni")
    q.add_argument("--from", dest="from_version", type=int, required=True)
    q.add_argument("--to", dest="to_version", type=int, required=True)
    q.add_argument("--format", choices=["json", "text"], default="text")
    q.set_defaults(func=cmd_plan_diff)
    q = psub.add_parser("rollover", help="bozza del piano dell'anno indicato da quello in vigore")
    q.add_argument("--to", type=int, required=True, help="l'anno del nuovo piano")
    q.add_argument("--user", required=True)
    q.add_argument("--act", help="l'atto proposto (facoltativo)")
    q.set_defaults(func=cmd_plan_rollover)

    s = sub.add_parser("status", help="grado di raggiungimento e stato")
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
    s.add_argument("--level", choices=list(status_queries.LEVELS), default="target")
    s.add_argument("--format", choices=["json", "csv", "table"], default="table")
    s.add_argument("--user", help=_READ_AS)
    s.set_defaults(func=cmd_status)

    s = sub.add_parser("offices", help="gli uffici e i loro indicatori")
    s.add_argument("--format", choices=["json"], default="json")
    s.add_argument("--user", help=_READ_AS)
    s.set_defaults(func=cmd_offices)

    s = sub.add_parser("template", help="il modello di rilevazione di un ufficio per un trimestre")
    s.add_argument("--office", required=True)
    s.add_argument("--period", required=True, help="es. 2020-Q1")
    s.add_argument("--out", required=True, help="file .xlsx o .csv")
    s.set_defaults(func=cmd_template)

    s = sub.add_parser("import", help="importa un modello compilato (tutto o niente)")
    s.add_argument("file")
    s.add_argument("--user", required=True)
    s.add_argument("--format", choices=["json", "text"], default="text")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("history", help="tutte le versioni dei valori di un indicatore")
    s.add_argument("--indicator", required=True)
    s.add_argument("--format", choices=["json"], default="json")
    s.add_argument("--user", help=_READ_AS)
    s.set_defaults(func=cmd_history)

    s = sub.add_parser("export", help="la tabella di valutazione dell'OIV (.xlsx, .csv, .pdf) o la sezione 2.2 del PIAO "
                                      "(.xlsx, .pdf; --year è il primo anno del triennio)")
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--what", choices=["valutazione", "piao", "relazione", "validazione"], default="valutazione")
    s.add_argument("--out", required=True)
    s.add_argument("--user", help=_READ_AS)
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("reminders", help="promemoria agli uffici con valori mancanti e sollecito al Segretario")
    rsub = s.add_subparsers(dest="reminders_cmd", required=True)
    r = rsub.add_parser("send", help="compone i promemoria scaduti e invia la posta in uscita (per cron)")
    r.add_argument("--today", help="la data di riferimento (gg/mm/aaaa), per provare; di norma oggi")
    r.add_argument("--dry-run", action="store_true", help="mostra che cosa verrebbe inviato, senza inviare né scrivere")
    r.add_argument("--format", choices=["text", "json"], default="text")
    r.add_argument("--user", help="come questo utente (pianificazione di un ente che scrive), altrimenti «cli»")
    r.set_defaults(func=cmd_reminders_send)

    s = sub.add_parser("records", help="record grezzi: pratiche, questionari, fatture")
    rsub = s.add_subparsers(dest="records_command", required=True)
    r = rsub.add_parser("import", help="importa file di record (ciascuno tutto o niente) e aggiorna gli indicatori")
    r.add_argument("file", nargs="+", help="uno o più file .csv o .xlsx dello stesso tipo")
    r.add_argument("--kind", required=True, choices=list(records_import.KINDS))
    r.add_argument("--user", required=True)
    r.add_argument("--format", choices=["json", "text"], default="text")
    r.set_defaults(func=cmd_records_import)
    r = rsub.add_parser("template", help="il modello vuoto di un tipo di record (.xlsx o .csv)")
    r.add_argument("--kind", required=True, choices=list(records_import.KINDS))
    r.add_argument("--out", required=True)
    r.set_defaults(func=cmd_records_template)
    r = rsub.add_parser("itp-rule", help="la regola dell'ente per le fatture contestate nell'ITP (mostra o cambia)")
    r.add_argument("--set", choices=["fine_contestazione", "fine_piu_termine"])
    r.add_argument("--user")
    r.set_defaults(func=cmd_records_itp_rule)

    s = sub.add_parser("metrics", help="metriche di servizio calcolate dai record")
    s.add_argument("--kind", required=True, choices=list(metrics_queries.KINDS))
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
    s.add_argument("--format", choices=["json"], default="json")
    s.add_argument("--user", help=_READ_AS)
    s.set_defaults(func=cmd_metrics)

    s = sub.add_parser("publish", help="pubblica (o rettifica, con --reason) un dato per Amministrazione trasparente")
    s.add_argument("--what", required=True, choices=list(publication.DATI))
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], help="senza: l'anno")
    s.add_argument("--user", required=True)
    s.add_argument("--reason", help="motivo della rettifica (obbligatorio se il dato è già pubblicato)")
    s.set_defaults(func=cmd_publish)

    s = sub.add_parser("user", help="gestione utenti")
    usub = s.add_subparsers(dest="user_command", required=True)
    a = usub.add_parser("add", help="crea un utente")
    a.add_argument("name")
    a.add_argument("--role", required=True, choices=list(roles.ROLES))
    a.add_argument("--office", action="append", help="ufficio (ripetibile), obbligatorio per il ruolo staff")
    a.add_argument("--password-stdin", action="store_true", help="legge la password dalla prima riga dello standard input")
    a.add_argument("--email", help="e-mail dell'identità data dal single sign-on (st.login), se usato")
    a.add_argument("--body", action="append", help="un altro ente a cui l'utente appartiene (ripetibile); per il "
                                                  "ruolo nazionale gli enti che consulta")
    a.set_defaults(func=cmd_user_add)
    a = usub.add_parser("bodies", help="gli enti di un utente; li cambia con --add e --remove")
    a.add_argument("name")
    a.add_argument("--add", action="append", help="ente da aggiungere (ripetibile)")
    a.add_argument("--remove", action="append", help="ente da togliere (ripetibile; non l'ente dell'utente)")
    a.add_argument("--format", choices=["json", "text"], default="text")
    a.set_defaults(func=cmd_user_bodies)
    for name, helptext, func in [
            ("passwd", "imposta una nuova password (dalla prima riga dello standard input); chiude le sessioni",
             cmd_user_passwd),
            ("disable", "disattiva un account (non può più accedere) e ne chiude le sessioni", cmd_user_disable),
            ("enable", "riattiva un account disattivato", cmd_user_enable)]:
        a = usub.add_parser(name, help=helptext)
        a.add_argument("name")
        if name == "passwd":
            a.add_argument("--password-stdin", action="store_true", required=True,
                           help="legge la nuova password dalla prima riga dello standard input")
        a.add_argument("--reason", required=True, help="il motivo (resta nel registro attività)")
        a.add_argument("--user", help="come questo utente (Programmazione e controllo dell'ente dell'account), "
                                      "altrimenti «cli»")
        a.add_argument("--format", choices=["json", "text"], default="text")
        a.set_defaults(func=func)

    s = sub.add_parser("migrate", help="copia un file DuckDB in un database PostgreSQL vuoto e verifica la copia")
    s.add_argument("--from", dest="source", required=True, help="il file DuckDB da copiare")
    s.add_argument("--to", dest="target", required=True, help="postgresql://utente@host:porta/database (vuoto)")
    s.add_argument("--format", choices=["json", "text"], default="text")
    s.set_defaults(func=cmd_migrate, own_connections=True)
    return p


def cmd_migrate(args, con) -> int:
    """Every table copied verbatim, with its row count and content hash checked (dashboard/core/migrate.py)."""
    if not config.is_postgres(args.target):
        raise Refused(f"--to deve essere un indirizzo postgresql://…, non «{args.target}».")
    checks = migrate.migrate(Path(args.source), args.target)
    rows = [{"tabella": c.table, "righe": c.rows_to} for c in checks]
    if args.format == "json":
        print(json.dumps({"tabelle": rows, "righe": sum(c.rows_to for c in checks)}))
    else:
        print(f"Copiate {len(checks)} tabelle ({formats.fmt_num(sum(c.rows_to for c in checks), 0)} righe) da "
              f"{args.source} in {db.redacted(args.target)}: righe e impronta del contenuto verificate per ogni "
              "tabella.")
    return 0


def main(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):  # `... | head` ends quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    args = build_parser().parse_args(argv)
    if getattr(args, "own_connections", False):  # migrate opens its source and its target itself
        args.db = None
        return _run(args, None)
    try:
        # Waits up to $KPI_DB_WAIT seconds for a file another process holds (the dashboard lets go of it
        # a second after its last page run; another import when it ends).
        con = db.connect(args.db)
    except DatabaseBusy as exc:  # nothing was read or written: the contract's exit 3, not a refusal
        print(str(exc), file=sys.stderr)
        return EXIT_BUSY
    return _run(args, con)


def _run(args, con) -> int:
    try:
        return args.func(args, con)
    except DatabaseBusy as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BUSY
    except Refused as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # a bug, not bad input: say so, never as a traceback
        logging.getLogger("cruscotto").exception("errore interno")
        print(f"Errore interno del cruscotto, non dovuto ai dati forniti ({type(exc).__name__}: {exc}). "
              "Nessuna modifica parziale è stata salvata; segnalarlo all'assistenza.", file=sys.stderr)
        return EXIT_BUG
    finally:
        db.close(args.db)


if __name__ == "__main__":
    sys.exit(main())
