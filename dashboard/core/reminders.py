"""Reminders and escalation: after each quarter's data deadline (promemoria_config.giorni_scadenza days after
the quarter ends, default 20) every office with missing values gets an e-mail listing them (its staff and
head with an address); after giorni_sollecito days more (default 10) the Segretario Generale gets the list
of the offices still missing. Messages are composed into the outbox (posta_in_uscita, once per key and
recipient, so running again never repeats one) and then sent over SMTP (mailer.py), each with its delivery
state. Quarters closed by the planning office, and those whose deadline is more than a year ago, are not
reminded (the Inserimento dati page lists those).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

import queries
from dashboard.core import audit, db, formats, mailer, periods
from queries import entry

MAX_ATTEMPTS = 5
HORIZON_DAYS = 365


@dataclass(frozen=True)
class Message:
    chiave: str
    destinatario: str
    oggetto: str
    corpo: str


def quarter_end(anno: int, trimestre: int) -> dt.date:
    return (dt.date(anno + 1, 1, 1) if trimestre == 4 else dt.date(anno, trimestre * 3 + 1, 1)) - dt.timedelta(days=1)


def rules(con, ente: str) -> tuple[int, int]:
    return tuple(con.execute(queries.sql("reminders", "config"), {"ente": ente}).fetchone())


def due(con: duckdb.DuckDBPyConnection, ente: str, today: dt.date) -> tuple[list[Message], list[str]]:
    """The messages due by `today` (composed, not yet in the outbox or already there: the caller filters),
    and the offices with missing values but no address (they go in the Segretario's list all the same)."""
    giorni, sollecito = rules(con, ente)
    closed = periods.closed_quarters(con, ente)
    offices: dict[str, list[str]] = {}
    for ufficio, email in con.execute(queries.sql("reminders", "office_addresses"), {"ente": ente}).fetchall():
        offices.setdefault(ufficio, []).append(email)
    segretari = [r[0] for r in con.execute(queries.sql("reminders", "segretario_addresses"), {"ente": ente}).fetchall()]
    messages, no_address = [], []
    for anno in periods.plan_years(con, ente):
        quarters = [q for q in (1, 2, 3, 4) if (anno, q) not in closed
                    and quarter_end(anno, q) + dt.timedelta(days=giorni) <= today
                    and (today - quarter_end(anno, q)).days - giorni <= HORIZON_DAYS]
        if not quarters:
            continue
        cov = entry.coverage(con, ente, anno)
        for q in quarters:
            deadline = quarter_end(anno, q) + dt.timedelta(days=giorni)
            period = formats.fmt_period(anno, q)
            late = cov[(cov["trimestre"] == q) & (cov["mancanti"] > 0)]
            for r in late.itertuples():
                if not offices.get(r.ufficio):
                    no_address.append(f"{r.ufficio} ({period})")
                for email in offices.get(r.ufficio, []):
                    messages.append(Message(
                        f"{ente}:{formats.period_code(anno, q)}:promemoria:{r.ufficio}", email,
                        f"Promemoria: valori mancanti del {period} — ufficio {r.ufficio}",
                        f"Gentile collega,\n\nil termine per inserire i valori del {period} era il "
                        f"{formats.fmt_date(deadline)}. Per l'ufficio {r.ufficio} — {r.nome} mancano {r.mancanti} "
                        f"valori su {r.dovuti}:\n\n{r.quali_mancano}\n\nSi prega di inserirli nel Cruscotto Performance "
                        f"(pagina «Carica misure»).\n\nMessaggio automatico del Cruscotto Performance."))
            if not late.empty and today >= deadline + dt.timedelta(days=sollecito):
                lines = "\n".join(f"- {r.ufficio} — {r.nome}: {r.mancanti} su {r.dovuti} ({r.quali_mancano})"
                                  for r in late.itertuples())
                for email in segretari:
                    messages.append(Message(
                        f"{ente}:{formats.period_code(anno, q)}:sollecito", email,
                        f"Uffici in ritardo con i valori del {period}",
                        f"Il termine per i valori del {period} era il {formats.fmt_date(deadline)}; a "
                        f"{sollecito} giorni dal termine questi uffici non li hanno ancora inseriti:\n\n{lines}\n\n"
                        f"Messaggio automatico del Cruscotto Performance."))
    return messages, no_address


def send_due(con: duckdb.DuckDBPyConnection, ente: str, today: dt.date, settings: dict, *, dry_run: bool = False,
             utente: str = "cli") -> dict:
    """Compose what is due into the outbox and send every message waiting. With dry_run: what would be
    composed and sent, writing and sending nothing. Raises mailer.MailUnavailable when the server cannot
    be reached (the messages stay waiting, their attempt recorded)."""
    messages, no_address = due(con, ente, today)
    new = [m for m in messages if not con.execute(queries.sql("reminders", "known"),
                                                  {"chiave": m.chiave, "destinatario": m.destinatario}).fetchone()[0]]
    waiting = con.execute(queries.sql("reminders", "to_send"), {"ente": ente, "max_tentativi": MAX_ATTEMPTS}).fetchall()
    report = {"nuovi": [m.__dict__ for m in new], "in_attesa": len(waiting), "senza_indirizzo": no_address,
              "inviati": 0, "errori": 0}
    if dry_run:
        report["da_inviare"] = len(waiting) + len(new)
        return report
    now = dt.datetime.now()
    with db.transaction(con):
        for m in new:
            con.execute(queries.sql("reminders", "enqueue"), {"id": db.next_id(con, "seq_posta"), "ente": ente,
                                                              "chiave": m.chiave, "destinatario": m.destinatario,
                                                              "oggetto": m.oggetto, "corpo": m.corpo, "quando": now})
    waiting = con.execute(queries.sql("reminders", "to_send"), {"ente": ente, "max_tentativi": MAX_ATTEMPTS}).fetchall()
    if not waiting:
        return report
    try:
        smtp = mailer.connect(settings)
    except mailer.MailUnavailable as exc:
        with db.transaction(con):
            for mid, *_ in waiting:
                con.execute(queries.sql("reminders", "mark_failed"), {"id": mid, "errore": str(exc)})
        raise
    try:
        for mid, to, subject, body in waiting:
            try:
                smtp.send_message(mailer.message(settings["from"], to, subject, body))
            except Exception as exc:  # one refused recipient must not stop the batch: recorded on the message
                with db.transaction(con):
                    con.execute(queries.sql("reminders", "mark_failed"), {"id": mid, "errore": str(exc)[:500]})
                report["errori"] += 1
                continue
            with db.transaction(con):
                con.execute(queries.sql("reminders", "mark_sent"), {"id": mid, "quando": dt.datetime.now()})
            report["inviati"] += 1
    finally:
        try:
            smtp.quit()
        except Exception:  # the messages are recorded already; a failed goodbye changes nothing
            pass
    with db.transaction(con):
        audit.record(con, utente, "promemoria_inviati", today.isoformat(), ente=ente,
                     dopo={"inviati": report["inviati"], "errori": report["errori"], "nuovi": len(new)})
    return report


def outbox(con, ente: str):
    return con.execute(queries.sql("reminders", "outbox"), {"ente": ente}).df()
