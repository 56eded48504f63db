"""Every Italian label of a code the product stores, in one place.

Codes (statuses, roles, audit actions, verdicts, kinds) are stored and exchanged as they are;
people read these labels. Tests check that every code has one.
"""
from __future__ import annotations

import math

from dashboard.core.formats import fmt_num

STATUS_LABELS = {
    "raggiunto": "Raggiunto", "parzialmente_raggiunto": "Parzialmente raggiunto", "non_raggiunto": "Non raggiunto",
    "in_linea": "In linea", "a_rischio": "A rischio", "non_rilevato": "Non rilevato",
}
# Colour plus a symbol and a word, so status reads in print and for colour-blind users.
STATUS_SYMBOLS = {
    "raggiunto": "✔", "parzialmente_raggiunto": "◐", "non_raggiunto": "✖",
    "in_linea": "▲", "a_rischio": "⚠", "non_rilevato": "○",
}
ROLE_LABELS = {
    "segretario_generale": "Segretario Generale",
    "oiv": "OIV",
    "staff": "Personale d'ufficio",
    "pianificazione": "Programmazione e controllo",
    "responsabile": "Responsabile d'ufficio",
    # Reads the bodies assigned to it (utenti_enti), writes nothing (dashboard/core/body_access.py).
    "nazionale": "Analista nazionale (Unioncamere) / OIV regionale",
}
ACTION_LABELS = {
    "misura_inserita": "Valore inserito", "misura_corretta": "Valore corretto", "importazione": "Importazione file",
    "verdetto": "Verdetto OIV", "periodo_chiuso": "Trimestre chiuso", "periodo_riaperto": "Trimestre riaperto",
    "piano_modificato": "Piano modificato", "utente_creato": "Utente creato", "accesso_fallito": "Accesso fallito",
    "accesso": "Accesso", "record_importati": "Record importati", "uscita": "Uscita",
    "account_bloccato": "Account bloccato", "origine_bloccata": "Accessi bloccati da un'origine",
    "piano_caricato": "Piano caricato", "piano_adottato": "Piano adottato",
    "dato_pubblicato": "Dato pubblicato", "dato_rettificato": "Dato pubblicato rettificato",
    "regola_itp": "Regola ITP modificata",
    "misura_approvata": "Valore approvato", "misura_restituita": "Valore restituito",
    "scostamento_spiegato": "Scostamento spiegato",
    "evidenza_allegata": "Evidenza allegata", "evidenza_ritirata": "Evidenza ritirata",
    "anno_chiuso_validazione": "Anno chiuso per la validazione",
    "promemoria_inviati": "Promemoria inviati",
    # Issue 16: bodies of an account; the body's data deadline.
    "utente_enti": "Enti dell'utente modificati", "termine_dati": "Termine per i dati modificato",
    # An account's password and state (dashboard/core/accounts.py).
    "password_cambiata": "Password cambiata", "password_reimpostata": "Password reimpostata dall'amministratore",
    "utente_disattivato": "Account disattivato", "utente_riattivato": "Account riattivato",
}
# The approval state of a measured value (dashboard/core/approvals.py).
APPROVAL_LABELS = {"approvato": "Approvato", "provvisorio": "Provvisorio (da approvare)",
                   "restituito": "Restituito per correzione"}
# Delivery state of an outbox message (dashboard/core/reminders.py).
OUTBOX_LABELS = {"da_inviare": "Da inviare", "inviato": "Inviato", "errore": "Errore di invio"}
VERDICT_LABELS = {"validato": "Validato", "validato_con_riserva": "Validato con riserva", "non_validato": "Non validato"}
OBJECTIVE_STATUS_LABELS = {
    "attivo": "Attivo", "modificato": "Modificato", "proposto_eliminazione": "Proposto per l'eliminazione",
    "eliminato": "Eliminato",
}
EVENT_LABELS = {
    "creato": "Creato", "modificato": "Modificato", "proposto_eliminazione": "Proposto per l'eliminazione",
    "eliminato": "Eliminato", "proposta_eliminazione_target": "Proposta di eliminazione di un target",
}
KIND_LABELS = {
    "soglia": "Soglia su un valore misurato", "rapporto_annuo": "Rapporto anno n / anno n-1",
    "conteggio": "Conteggio", "percentuale": "Percentuale", "milestone": "Avanzamento (milestone)",
}
BUDGET_LEVEL_LABELS = {"ente": "Ente", "area": "Area", "obiettivo": "Obiettivo"}
BUDGET_ITEM_LABELS = {"oneri": "Oneri", "investimenti": "Investimenti", "costi_esterni": "Costi esterni",
                      "ricavi_contributi": "Ricavi e contributi", "ricavi": "Ricavi", "contributi": "Contributi"}
# The SMVP's scoring rule of a condition (criteri.regola); 'rapporto' is the default and goes unsaid.
RULE_LABELS = {
    "rapporto": "Rapporto", "interpolazione": "Interpolazione dalla base", "fasce": "Fasce",
    "binario": "Binario (raggiunto / non raggiunto)",
}
# The indicators every chamber shares, compared between bodies (queries/comparison.py, page Confronto tra Camere).
COMPARISON_LABELS = {
    "tempo_ri": "Registro Imprese: tempo medio di lavorazione (giorni, al netto della sospensione)",
    "quota_sospese": "Registro Imprese: pratiche sospese (%)",
    "soddisfazione": "Soddisfazione degli utenti (media in decimi)",
    "itp": "Tempestività dei pagamenti (ITP, giorni)",
}
COMPARISON_SHORT = {"tempo_ri": "Tempo RI (gg)", "quota_sospese": "Sospese (%)", "soddisfazione": "Soddisfazione (/10)",
                    "itp": "ITP (gg)"}


def rule_text(regola, valore_base=None, unita: str = "") -> str:
    """'regola: Interpolazione dalla base 20 €' for a rule other than rapporto; '' for rapporto."""
    if not isinstance(regola, str) or regola == "rapporto":
        return ""
    text = f"regola: {RULE_LABELS.get(regola, regola)}"
    if regola == "interpolazione" and valore_base is not None and not math.isnan(valore_base):
        decimals = 0 if float(valore_base).is_integer() else 2
        text += f" {fmt_num(valore_base, decimals)} {unita}".rstrip()
    return text
