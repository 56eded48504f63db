"""The validation chain's section of the OIV dossier of one target: frozen figure vs now, explanation,
evidence files to download, who approved each value. One call from a page: `render(con, user, target, anno,
indicators)`."""
from __future__ import annotations

import streamlit as st

from dashboard.core import dossier, evidence, formats
from dashboard.core.roles import User
from dashboard.web import chain_views, ui


def render(con, user: User, target: str, anno: int, indicatori: list[str] = ()) -> None:
    d = dossier.target_dossier(con, user.ente, target, anno, list(indicatori))
    st.markdown("**Catena di validazione**")
    if d.freeze is None:
        st.caption(f"Il {anno} non è ancora chiuso per la validazione: le cifre sono quelle correnti.")
    elif d.frozen is not None:
        f, c = d.frozen, d.change or {}
        st.write(f"**Cifra congelata** al {formats.fmt_datetime(d.freeze['quando'])} (da {d.freeze['utente']}): "
                 f"valore {chain_views._num(f['valore'])} · grado {ui.fmt_grado(f['grado'])} · "
                 f"{ui.status_text(f['status'])}")
        if c.get("modificato"):
            st.warning(f"Modificato dopo la validazione: ora valore {chain_views._num(c['valore_attuale'])} · grado "
                       f"{ui.fmt_grado(c['grado_attuale'])} · {ui.status_text(c['status_attuale'])}. "
                       f"Correzioni: {c['correzioni'] or '—'}", icon=":material/edit_note:")
    if d.explanations.empty:
        st.caption("Nessuna spiegazione di scostamento.")
    else:
        e = d.explanations.iloc[0]
        st.write(f"**Causa dello scostamento** ({'fine anno' if e['trimestre'] == 4 else formats.fmt_period(anno, e['trimestre'])}, "
                 f"{e['utente']}, {formats.fmt_datetime(e['quando'])}): {ui.plain(e['causa'])}")
        st.write(f"**Azione correttiva:** {ui.plain(e['azione'])}")
        if len(d.explanations) > 1:
            with st.expander(f"Versioni precedenti della spiegazione ({len(d.explanations) - 1})"):
                st.dataframe(d.explanations.iloc[1:], hide_index=True, width="stretch")
    if d.files.empty:
        st.caption("Nessun file di evidenza.")
    else:
        st.dataframe(chain_views.evidence_table(d.files), hide_index=True, width="stretch")
        for _, r in d.files.iterrows():
            name, mime, data = evidence.content(con, user.ente, int(r["id"]))
            st.download_button(f"Scarica {name}", data, file_name=name, mime=mime, key=f"dossier_ev_{r['id']}",
                               on_click="ignore")
    for code, h in d.approvals.items():
        if not h.empty:
            with st.expander(f"Approvazioni dei valori di {code}"):
                st.dataframe(chain_views.approval_history_table(h), hide_index=True, width="stretch")
