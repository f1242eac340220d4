"""Lettres aux candidats (admin) : choisir les commentaires du jury à partager, produire une
lettre de retour par candidature (PDF), leur ZIP et le fichier de publipostage."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import streamlit as st

from dashboard import auth
from dashboard.exports import csv_bytes
from dashboard.filters import CHOISIR
from dashboard.jury import letters
from dashboard.press.kit import zip_bytes
from dashboard.queries import contacts as contacts_q
from dashboard.queries import jury as jury_q
from etl.french import PARIS, agree, plural

READY = "lettres_pretes"

signed_in = auth.current_account()
assert signed_in is not None and signed_in.role == "admin"
compte = signed_in

st.title("Lettres aux candidats")
st.caption(
    "Une lettre par candidature : résultat pour chaque prix, moyenne par critère face à la "
    "médiane du prix (à partir de deux notes de jurés), commentaires que vous choisissez de "
    "partager, sans le nom de leur auteur. Les autres commentaires restent privés."
)
editions = jury_q.editions()
annee = st.selectbox("Édition", list(editions), key="lettres_edition", placeholder=CHOISIR)
edition = editions[annee]
store = jury_q.store()

comments = letters.jury_comments(jury_q.cursor(), annee)
names = (
    jury_q.candidatures(annee)
    .unique("candidature_id")
    .select("candidature_id", "structure_nom", "projet_titre")
)
criteria = {k.code: k.libelle for c in edition.categories for k in c.criteres}
prizes = {c.code: f"{c.numero}. {c.libelle}" for c in edition.categories}

st.subheader("Commentaires du jury à partager")
if comments.is_empty():
    st.info("Aucun commentaire de juré pour cette édition.", icon=":material/info:")
else:
    shown = comments.join(names, on="candidature_id", how="left").with_columns(
        Candidature=pl.concat_str(
            pl.col("structure_nom").fill_null("Structure non renseignée"),
            pl.col("projet_titre").fill_null("projet non renseigné"),
            separator=" — ",
        ),
        Prix=pl.col("categorie_code").replace_strict(prizes, default=pl.col("categorie_code")),
        Critère=pl.col("critere_code").replace_strict(
            {"": "Avis général", **criteria}, default=pl.col("critere_code")
        ),
        Commentaire=pl.col("commentaire"),
        Partager=pl.col("partage"),
    )
    prix = st.selectbox("Prix", ["Tous", *prizes.values()], key="lettres_prix", placeholder=CHOISIR)
    if prix != "Tous":
        shown = shown.filter(pl.col("Prix") == prix)
    st.caption(
        f"{plural(shown.height, 'commentaire')} ; "
        f"{plural(int(shown['Partager'].sum()), 'partagé', 'partagés')} dans les lettres. "
        "Cochez « Partager » puis enregistrez."
    )
    with st.form("partages", border=False):
        edited = st.data_editor(
            shown.select("Candidature", "Prix", "Critère", "Commentaire", "Partager"),
            disabled=["Candidature", "Prix", "Critère", "Commentaire"],
            hide_index=True,
            width="stretch",
            column_config={"Partager": st.column_config.CheckboxColumn("Partager")},
            key="lettres_commentaires",
        )
        saved = st.form_submit_button("Enregistrer les partages", type="primary")
    if saved:
        before = shown["Partager"].to_list()
        after = list(edited["Partager"])
        changes = 0
        for row, old, new in zip(shown.iter_rows(named=True), before, after, strict=True):
            if bool(old) != bool(new):
                letters.share_comment(
                    store,
                    compte,
                    annee,
                    row["categorie_code"],
                    row["candidature_id"],
                    row["jure"],
                    row["critere_code"],
                    bool(new),
                )
                changes += 1
        st.toast(f"{plural(changes, 'changement')} {agree(changes, 'enregistré')}.")
        st.session_state.pop(READY, None)  # letters prepared before are now out of date
        st.rerun()

st.subheader("Produire les lettres")
if st.button("Préparer les lettres", icon=":material/mail:"):
    with st.spinner("Production des lettres…"):
        kit = letters.letters_kit(
            edition,
            jury_q.cursor(),
            day=datetime.now(PARIS).date(),
            contacts=contacts_q.mailing(annee, compte),
        )
    st.session_state[READY] = (
        annee,
        kit.summary_fr(),
        zip_bytes(kit.pdfs),
        kit.toutes,
        csv_bytes(kit.publipostage, role=compte.role),
    )
ready = st.session_state.get(READY)
if ready is not None and ready[0] == annee:
    _, summary, archive, whole, mailing = ready
    st.write(summary)
    cols = st.columns(3)
    cols[0].download_button(
        "Toutes les lettres (ZIP)",
        archive,
        f"lettres-{annee}.zip",
        "application/zip",
        icon=":material/download:",
        on_click="ignore",
    )
    cols[1].download_button(
        "Toutes les lettres en un PDF (impression)",
        whole,
        f"lettres-{annee}-toutes.pdf",
        "application/pdf",
        icon=":material/print:",
        on_click="ignore",
    )
    cols[2].download_button(
        "Fichier de publipostage (CSV)",
        mailing,
        f"publipostage-{annee}.csv",
        "text/csv",
        icon=":material/contact_mail:",
        on_click="ignore",
        help="Adresses des référents : données personnelles, réservées à l'administration.",
    )
