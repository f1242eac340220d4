"""Jury pages opened through the app (AppTest) on a copy of a fictitious deliberation:
« Mes notations » (form, lock, others' scores, conflicts), « Résultats du jury »
(visibility, quota), « Administration du jury » (assignments, suggestions, reopening),
and which role gets which page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.jury import scoring
from dashboard.jury.store import Store
from etl import editions
from tests.helpers import TEST_PASSWORD, shown, signed_in_app

NOTATION = "app_pages/jury_notation.py"
RESULTATS = "app_pages/jury_resultats.py"
ADMIN = "app_pages/jury_admin.py"
SEANCE = "app_pages/jury_seance.py"
JURE = "test-jury"  # the account signed_in_app("jury") places in the session
ANNEE = 2024
CATEGORIE = "COMM"


@pytest.fixture(scope="module")
def template_dir(deliberated_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo warehouse + fictitious deliberation; the test juror assigned to 2024 COMM."""
    data = tmp_path_factory.mktemp("jury-modele")
    for name in ("reference", "warehouse.duckdb"):
        (data / name).symlink_to((deliberated_data_dir / name).resolve())
    shutil.copy(deliberated_data_dir / "deliberations.duckdb", data / "deliberations.duckdb")
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        scoring.assign(store, "test-admin", ANNEE, CATEGORIE, [JURE])
    return data


@pytest.fixture
def env(template_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory of this test's own (writes never leak into another test)."""
    import streamlit as st

    data = tmp_path / "donnees"
    data.mkdir()
    for name in ("reference", "warehouse.duckdb"):
        (data / name).symlink_to((template_dir / name).resolve())
    shutil.copy(template_dir / "deliberations.duckdb", data / "deliberations.duckdb")
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(data))
    monkeypatch.delenv("TROPHEES_COMPTES", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    return data


def store_rows(data: Path, sql: str, params: list[object] | None = None) -> list[tuple[Any, ...]]:
    """Rows of the page's store (same process: the same DuckDB instance as the page)."""
    con = duckdb.connect(str(data / "deliberations.duckdb"))
    try:
        return con.sql(sql, params=params or []).fetchall()
    finally:
        con.close()


def open_as(role: str, page: str) -> AppTest:
    at = signed_in_app(role)
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def current_item(at: AppTest) -> tuple[str, str]:
    categorie, candidature_id = str(at.selectbox(key="jury_candidature").value).split("|", 1)
    return categorie, candidature_id


def button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


def category() -> Any:
    return editions.load_editions()[ANNEE].category(CATEGORIE)


def form_prefix(at: AppTest, statut: str = "nouvelle") -> str:
    """Keys of the scoring widgets of the current item in a given state of its score."""
    categorie, candidature_id = current_item(at)
    return f"jury-{ANNEE}-{categorie}-{candidature_id}-{statut}"


def fill_form(at: AppTest, values: dict[str, int], comment: str = "") -> None:
    prefix = form_prefix(at)
    for code, value in values.items():
        at.radio(key=f"{prefix}-{code}").set_value(value)
    if comment:
        at.text_area(key=f"{prefix}-commentaire").input(comment)


def test_juror_sends_a_score_that_is_stored_locked_and_unveils_the_others(env: Path) -> None:
    at = open_as("jury", NOTATION)
    assert at.title[0].value == "Mes notations"
    categorie, candidature_id = current_item(at)
    assert categorie == CATEGORIE
    # before sending: others hidden, nothing stored, progress 0 / 17
    assert any("s'affichent après l'envoi" in c.value for c in at.caption)
    assert not any("Juré" in df.value.columns for df in at.dataframe)
    total = len(store_rows(env, "select 1 from notes where jure = ?", [JURE]))
    assert total == 0

    crits = category().criteres
    values = {c.code: v for c, v in zip(crits, (5, 4, 3, 2), strict=True)}
    fill_form(at, values, comment="Projet solide, résultats à confirmer.")
    button(at, "Envoyer la note (définitif)").click().run()
    assert not at.exception

    rows = store_rows(
        env,
        "select statut, note, commentaire, soumise_le from notes"
        " where jure = ? and candidature_id = ? and categorie_code = ?",
        [JURE, candidature_id, categorie],
    )
    assert len(rows) == 1
    statut, note, commentaire, soumise_le = rows[0]
    expected = sum(c.poids * values[c.code] for c in crits) / sum(c.poids for c in crits)
    assert statut == "soumise" and soumise_le is not None
    assert note == pytest.approx(expected)
    assert commentaire == "Projet solide, résultats à confirmer."
    stored = dict(
        store_rows(
            env,
            "select critere_code, valeur from notes_criteres where jure = ? and candidature_id = ?",
            [JURE, candidature_id],
        )
    )
    assert stored == values

    # the page moves on to the next candidature to score…
    assert any("verrouillée" in s.value for s in at.success)
    after = current_item(at)
    assert after != (categorie, candidature_id)
    assert store_rows(
        env, "select count(*) from notes where jure = ? and candidature_id = ?", [JURE, after[1]]
    ) == [(0,)]
    # …and the sent one, opened again, is locked with the others' scores
    at.selectbox(key="jury_candidature").set_value(f"{categorie}|{candidature_id}").run()
    prefix = form_prefix(at, "soumise")
    assert all(at.radio(key=f"{prefix}-{c.code}").disabled for c in crits)
    assert {c.code: at.radio(key=f"{prefix}-{c.code}").value for c in crits} == values
    assert at.text_area(key=f"{prefix}-commentaire").value == commentaire
    assert button(at, "Envoyer la note (définitif)").disabled
    autres = next(df.value for df in at.dataframe if "Juré" in df.value.columns)
    others_in_store = store_rows(
        env,
        "select count(*) from notes n where candidature_id = ? and categorie_code = ?"
        " and statut = 'soumise' and jure <> ? and not exists (select 1 from recusations r"
        " where r.edition = n.edition and r.candidature_id = n.candidature_id"
        " and r.jure = n.jure)",
        [candidature_id, categorie, JURE],
    )[0][0]
    assert others_in_store > 0 and len(autres) == others_in_store
    assert "1 / 17" in at.get("progress")[0].proto.text

    # a second send through the backend is refused: the score is locked
    with (
        Store(env / "deliberations.duckdb", snapshot_delay_s=None) as store,
        pytest.raises(scoring.ScoreLocked),
    ):
        scoring.save_score(
            store,
            JURE,
            ANNEE,
            category(),
            candidature_id,
            scoring.ScoreInput(valeurs=values),
            submit=True,
        )


def test_incomplete_score_is_refused_in_french_but_a_draft_is_kept(env: Path) -> None:
    at = open_as("jury", NOTATION)
    _, candidature_id = current_item(at)
    first = category().criteres[0]
    fill_form(at, {first.code: 3})
    button(at, "Envoyer la note (définitif)").click().run()
    assert any("Notez chaque critère avant d'envoyer" in e.value for e in at.error)
    assert store_rows(env, "select 1 from notes where jure = ?", [JURE]) == []

    button(at, "Enregistrer le brouillon").click().run()
    assert not at.exception
    assert store_rows(
        env,
        "select statut from notes where jure = ? and candidature_id = ?",
        [JURE, candidature_id],
    ) == [("brouillon",)]
    assert any("Brouillon enregistré" in i.value for i in at.info)
    # a draft does not unveil the others' scores
    assert any("s'affichent après l'envoi" in c.value for c in at.caption)


def test_abstention_is_sent_without_values_and_counts_as_done(env: Path) -> None:
    at = open_as("jury", NOTATION)
    _, candidature_id = current_item(at)
    at.checkbox(key=f"{form_prefix(at)}-abstention").check()
    button(at, "Envoyer la note (définitif)").click().run()
    assert not at.exception
    assert store_rows(
        env,
        "select statut, abstention, note from notes where jure = ? and candidature_id = ?",
        [JURE, candidature_id],
    ) == [("soumise", True, None)]
    assert store_rows(
        env,
        "select count(*) from notes_criteres where jure = ? and valeur is not null",
        [JURE],
    ) == [(0,)]
    assert "1 / 17" in at.get("progress")[0].proto.text
    at.selectbox(key="jury_candidature").set_value(f"{CATEGORIE}|{candidature_id}").run()
    assert any("Abstention envoyée" in s.value for s in at.success)


def test_suivant_and_precedent_walk_the_queue(env: Path) -> None:
    at = open_as("jury", NOTATION)
    first = current_item(at)
    assert button(at, "Précédent").disabled
    button(at, "Suivant").click().run()
    second = current_item(at)
    assert second != first
    button(at, "Précédent").click().run()
    assert current_item(at) == first


def test_candidature_text_is_plain_text(env: Path) -> None:
    at = open_as("jury", NOTATION)
    _, candidature_id = current_item(at)
    ((structure, titre),) = (
        duckdb.connect(str(env / "warehouse.duckdb"), read_only=True)
        .execute(
            "select structure_nom, projet_titre from candidatures where candidature_id = ?",
            [candidature_id],
        )
        .fetchall()
    )
    texts = [t.value for t in at.text]
    assert structure in texts and titre in texts
    assert not any(structure in m.value for m in at.markdown)


def test_declared_conflict_removes_the_candidature_from_the_queue(env: Path) -> None:
    at = open_as("jury", NOTATION)
    button(at, "Suivant").click().run()
    button(at, "Suivant").click().run()  # the juror is on the 3rd of the queue
    _, candidature_id = current_item(at)
    button(at, "Suivant").click().run()
    following = current_item(at)
    button(at, "Précédent").click().run()
    button(at, "Déclarer le conflit").click().run()
    assert any("Indiquez la raison" in e.value for e in at.error)
    next(t for t in at.text_input if t.label == "Raison du conflit").input("Ancien salarié")
    button(at, "Déclarer le conflit").click().run()
    assert not at.exception
    assert store_rows(
        env,
        "select origine, motif from conflits where jure = ? and candidature_id = ?",
        [JURE, candidature_id],
    ) == [("declaration", "Ancien salarié")]
    options = at.selectbox(key="jury_candidature").options
    assert not any(candidature_id in o for o in options)
    assert "0 / 16" in at.get("progress")[0].proto.text
    assert current_item(at) == following  # the juror keeps their place in the queue


def send_all(data: Path, keep: int = 0) -> int:
    """Submit the test juror's unsent scores of the category but ``keep``; how many sent."""
    from dashboard.jury.candidatures import candidatures_to_judge

    cat = category()
    with Store(data / "deliberations.duckdb", snapshot_delay_s=None) as store:
        file = scoring.queue(
            store.cursor(), JURE, ANNEE, candidatures_to_judge(ANNEE, data / "warehouse.duckdb")
        )
        todo = file.filter(
            (file["categorie_code"] == CATEGORIE) & file["etat"].is_in(["à noter", "brouillon"])
        )
        ids = todo["candidature_id"].to_list()
        for cid in ids[: len(ids) - keep]:
            saisie = scoring.ScoreInput(valeurs={c.code: 3 for c in cat.criteres})
            scoring.save_score(store, JURE, ANNEE, cat, cid, saisie, submit=True)
    return len(ids) - keep


def test_juror_sees_results_only_after_sending_all_scores(env: Path) -> None:
    send_all(env, keep=1)
    at = open_as("jury", RESULTATS)
    assert any("16 / 17" in i.value for i in at.info)
    assert not any("Note normalisée" in df.value.columns for df in at.dataframe)

    send_all(env)  # the last one
    at = open_as("jury", RESULTATS)
    table = next(df.value for df in at.dataframe if "Note normalisée" in df.value.columns)
    counted = store_rows(
        env,
        "select count(distinct candidature_id) from notes where edition = ? and"
        " categorie_code = ? and statut = 'soumise' and not abstention",
        [ANNEE, CATEGORIE],
    )[0][0]
    assert len(table) == counted
    assert {"Candidature", "Moyenne", "Médiane", "Notes", "Décision", "Serrée"} <= set(
        table.columns
    )
    assert all("," in v or v == "—" for v in table["Moyenne"])  # French decimals
    assert all(" — " in c and not c.startswith(f"{ANNEE}-") for c in table["Candidature"])
    # a juror reads results but decides nothing and exports nothing
    labels = [b.label for b in at.button]
    assert "Enregistrer la décision" not in labels
    assert at.get("download_button") == []


def test_a_recused_juror_does_not_see_that_candidatures_results_row(env: Path) -> None:
    from dashboard.jury import conflicts

    send_all(env)
    before = open_as("jury", RESULTATS)
    # names are shown, the identifier only in the details' last column
    detail = next(df.value for df in before.dataframe if "Identifiant" in df.value.columns)
    recused_id = str(detail["Identifiant"].iloc[0])
    recused = str(detail["Candidature"].iloc[0])
    with Store(env / "deliberations.duckdb", snapshot_delay_s=None) as store:
        conflicts.declare_conflict(store, JURE, ANNEE, recused_id, "Ancien salarié")
    at = open_as("jury", RESULTATS)
    table = next(df.value for df in at.dataframe if "Note normalisée" in df.value.columns)
    assert recused not in set(table["Candidature"])
    assert any("1 candidature dont vous êtes récusé·e masquée" in c.value for c in at.caption)
    # the administrator still sees every row
    admin = open_as("admin", RESULTATS)
    admin.selectbox(key="jury_resultats_edition").set_value(ANNEE).run()
    admin.selectbox(key="jury_resultats_categorie").set_value(CATEGORIE).run()
    rows = next(df.value for df in admin.dataframe if "Note normalisée" in df.value.columns)
    assert recused in set(rows["Candidature"])


def laureates(data: Path) -> list[str]:
    return [
        r[0]
        for r in store_rows(
            data,
            "select candidature_id from selections where edition = ? and categorie_code = ?"
            " and niveau = 'laureat'",
            [ANNEE, CATEGORIE],
        )
    ]


def decide(at: AppTest, candidature_id: str, choix: str, pourquoi: str = "") -> None:
    form_select = next(s for s in at.selectbox if s.label == "Candidature")
    form_select.set_value(candidature_id)
    next(r for r in at.radio if r.label == "Décision").set_value(choix)
    next(t for t in at.text_input if t.label.startswith("Justification")).input(pourquoi)
    button(at, "Enregistrer la décision").click().run()
    assert not at.exception


def test_admin_decides_in_session_with_a_justification_within_the_quota(env: Path) -> None:
    at = open_as("admin", SEANCE)
    at.selectbox(key="seance_edition").set_value(ANNEE).run()
    at.selectbox(key="seance_prix").set_value(CATEGORIE).run()
    crowned = laureates(env)
    assert len(crowned) == 1  # the demo filled the quota (laureats_max = 1)
    assert any("0 place restante" in t.value for t in at.text)
    pv = [d.proto.label for d in at.get("download_button")]
    assert pv == ["Procès-verbal (PDF)", "Procès-verbal (XLSX)"]
    table = at.table[0].value
    assert list(table.columns)[:2] == ["Rang", "Candidature"]
    assert not any(c.startswith(f"{ANNEE}-") for c in table["Candidature"])

    chooser = next(s for s in at.selectbox if s.label == "Candidature")
    assert not any(o.split(" · ")[1].startswith(f"{ANNEE}-") for o in chooser.options)
    scored = store_rows(  # the best by mean: among the leading rows the séance shows
        env,
        "select candidature_id from notes where edition = ? and categorie_code = ?"
        " and statut = 'soumise' and not abstention group by 1 order by avg(note) desc",
        [ANNEE, CATEGORIE],
    )
    other = next(str(r[0]) for r in scored if r[0] not in crowned)
    decide(at, other, "laureat", "Choix du jury")
    assert any("Quota atteint" in e.value for e in at.error)
    assert laureates(env) == crowned

    decide(at, crowned[0], "retirer")
    assert laureates(env) == []
    assert any("1 place restante" in t.value for t in at.text)
    decide(at, crowned[0], "laureat")
    assert any("Justifiez en une ligne" in e.value for e in at.error)
    assert laureates(env) == []
    decide(at, crowned[0], "laureat", "Meilleure note normalisée, unanimité des présents.")
    assert laureates(env) == crowned
    assert any("Décision enregistrée" in s.value and " — " in s.value for s in at.success)
    journal = store_rows(
        env,
        "select acteur, detail from journal where action = 'decision' and cible = ?"
        " order by id desc limit 1",
        [crowned[0]],
    )
    assert journal == [
        (
            "test-admin",
            f"{CATEGORIE} : lauréate — Meilleure note normalisée, unanimité des présents.",
        )
    ]
    # the table is Markdown-escaped (plain.table): read it back without the backslashes
    decision_column = [c.replace("\\", "") for c in at.table[0].value["Décision"].tolist()]
    assert "lauréate — Meilleure note normalisée, unanimité des présents." in decision_column


def test_admin_adds_a_deliberation_note(env: Path) -> None:
    at = open_as("admin", RESULTATS)
    at.selectbox(key="jury_resultats_edition").set_value(ANNEE).run()
    at.selectbox(key="jury_resultats_categorie").set_value(CATEGORIE).run()
    next(t for t in at.text_area if "délibération" in t.label).input("=HYPERLINK(1) à revoir")
    button(at, "Ajouter la note").click().run()
    assert not at.exception
    assert store_rows(
        env,
        "select auteur, texte from notes_deliberation where edition = ? and categorie_code = ?"
        " and auteur = 'test-admin'",
        [ANNEE, CATEGORIE],
    ) == [("test-admin", "=HYPERLINK(1) à revoir")]
    notes = next(df.value for df in at.dataframe if "Auteur" in df.value.columns)
    assert "=HYPERLINK(1) à revoir" in list(notes["Note"])


def test_admin_reopens_a_submitted_score_with_a_reason(env: Path) -> None:
    send_all(env, keep=16)  # one submitted score of the test juror
    ((candidature_id,),) = store_rows(
        env, "select candidature_id from notes where jure = ? and statut = 'soumise'", [JURE]
    )
    at = open_as("admin", ADMIN)
    at.selectbox(key="jury_admin_edition").set_value(ANNEE).run()
    target = f"{CATEGORIE}|{candidature_id}|{JURE}"
    select = next(s for s in at.selectbox if s.label == "Note à rouvrir")
    select.set_value(target)
    button(at, "Rouvrir la note").click().run()
    assert any("Indiquez pourquoi" in e.value for e in at.error)
    next(s for s in at.selectbox if s.label == "Note à rouvrir").set_value(target)
    next(t for t in at.text_input if t.label.startswith("Motif")).input("Erreur de saisie")
    button(at, "Rouvrir la note").click().run()
    assert not at.exception
    assert store_rows(
        env,
        "select statut from notes where jure = ? and candidature_id = ?",
        [JURE, candidature_id],
    ) == [("brouillon",)]
    assert store_rows(env, "select acteur, detail from journal where action = 'reouverture'") == [
        ("test-admin", f"{CATEGORIE}, note de {JURE} : Erreur de saisie")
    ]
    # the juror can change it again
    with Store(env / "deliberations.duckdb", snapshot_delay_s=None) as store:
        scoring.save_score(
            store,
            JURE,
            ANNEE,
            category(),
            candidature_id,
            scoring.ScoreInput(valeurs={c.code: 1 for c in category().criteres}),
            submit=False,
        )


def test_admin_assigns_a_juror_and_computes_suggestions(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.accounts import AccountSettings, AccountStore

    ((departement,),) = (
        duckdb.connect(str(env / "warehouse.duckdb"), read_only=True)
        .execute(
            "select departement_code from candidatures where edition = ? and departement_code"
            " is not null group by 1 order by count(*) desc limit 1",
            [ANNEE],
        )
        .fetchall()
    )
    path = env / "comptes.toml"
    AccountStore(AccountSettings(file=path)).add(
        "jure-compte",
        "Juré de test",
        "jury",
        TEST_PASSWORD,
        organisation="Organisation de test",
        departement=departement,
    )
    monkeypatch.setenv("TROPHEES_COMPTES", str(path))

    at = open_as("admin", ADMIN)
    at.selectbox(key="jury_admin_edition").set_value(ANNEE).run()
    next(s for s in at.selectbox if s.label == "Prix").set_value("SIAE")
    next(m for m in at.multiselect if m.label == "Jurés à affecter").set_value(["jure-compte"])
    button(at, "Affecter").click().run()
    assert not at.exception
    assert store_rows(
        env,
        "select affecte_par from affectations where edition = ? and categorie_code = 'SIAE'"
        " and jure = 'jure-compte'",
        [ANNEE],
    ) == [("test-admin",)]

    button(at, "Calculer les suggestions").click().run()
    assert not at.exception
    suggested = store_rows(
        env,
        "select count(*) from conflits where jure = 'jure-compte' and origine = 'suggestion'"
        " and statut = 'en_attente'",
    )[0][0]
    assert suggested > 0
    assert any("nouveaux à examiner" in s.value for s in at.success)
    conflicts = next(df.value for df in at.dataframe if "Motif" in df.value.columns)
    assert any(f"même département ({departement})" in m for m in conflicts["Motif"])
    assert all(" — " in c for c in conflicts["Candidature"])  # names, not identifiers


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("jury", {NOTATION, RESULTATS, SEANCE}),
        ("admin", {RESULTATS, ADMIN, SEANCE}),
        ("analyste", set()),
        ("communication", set()),
    ],
)
def test_each_role_gets_only_its_jury_pages(env: Path, role: str, expected: set[str]) -> None:
    from dashboard.navigation import pages_for

    offered = {p.path for pages in pages_for(role, has_data=True).values() for p in pages}
    assert offered & {NOTATION, RESULTATS, ADMIN, SEANCE} == expected
    at = signed_in_app(role)
    at.run()
    for page in {NOTATION, RESULTATS, ADMIN, SEANCE} - expected:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
    for page in expected:
        at.switch_page(page).run()
        assert not at.exception


def test_the_fiche_opens_on_the_candidature_being_scored(env: Path) -> None:
    at = open_as("jury", NOTATION)
    button(at, "Suivant").click().run()
    _, candidature_id = current_item(at)
    button(at, "Ouvrir la fiche complète de la candidature").click().run()
    assert not at.exception
    assert at.title[0].value == "Fiche candidature"
    assert at.selectbox(key="candidature").value == candidature_id


def test_a_territory_corrected_after_a_score_is_flagged_to_admin_and_juror(env: Path) -> None:
    """The organiser fixes a territory after the juror sent a score: the score is kept,
    « Administration du jury » lists the correction with the juror concerned, and the
    juror's queue and candidature say it was corrected since."""
    from etl import warehouse
    from etl.corrections import Correction, Kind, prepare, store

    at = open_as("jury", NOTATION)
    _, candidature_id = current_item(at)
    crits = category().criteres
    fill_form(at, {c.code: 3 for c in crits})
    button(at, "Envoyer la note (définitif)").click().run()
    assert not at.exception

    from dashboard.accounts import Account
    from dashboard.jury.candidatures import candidatures_to_judge
    from dashboard.jury.conflicts import suggest_conflicts
    from dashboard.jury.rules import ConflictRules

    voisine = Account("voisine", "Juré de Saint-Denis", "jury", departement="93")

    def suggested() -> list[str]:
        found = suggest_conflicts(
            [voisine], candidatures_to_judge(ANNEE, env / "warehouse.duckdb"), ConflictRules()
        )
        return list(found["candidature_id"])

    assert candidature_id not in suggested()

    edition = editions.load_editions()[ANNEE]
    demande = Correction(
        edition=ANNEE,
        candidature_id=candidature_id,
        nature=Kind.TERRITOIRE,
        valeur="93066",
        motif="Commune confirmée par téléphone",
        auteur="Organisatrice (test-admin)",
    )
    con = duckdb.connect(str(env / "warehouse.duckdb"), read_only=True)
    try:
        prete = prepare(demande, edition, con)
    finally:
        con.close()
    with store.connect() as registre:
        store.add(registre, prete)
    assert warehouse.apply_corrections()

    admin = open_as("admin", ADMIN)
    assert any("1 correction de l'organisateur faite après" in w.value for w in admin.warning)
    flagged = shown(admin.table[0])
    assert " — " in flagged.iloc[0]["Candidature"]
    assert (
        flagged.iloc[0]["Correction"] == "territoire fixé : Saint-Denis (Seine-Saint-Denis, 93066)"
    )
    ((sent,),) = store_rows(
        env,
        "select count(*) from notes where candidature_id = ? and statut = 'soumise'",
        [candidature_id],
    )
    assert sent >= 1  # the demo jurors' scores and the test juror's
    assert flagged.iloc[0]["Notes envoyées gardées"] == str(sent)
    assert "test-jury" in flagged.iloc[0]["Jurés concernés"]
    # the sent score is kept as it was
    assert store_rows(
        env,
        "select statut from notes where jure = ? and candidature_id = ?",
        [JURE, candidature_id],
    ) == [("soumise",)]

    # a juror of Seine-Saint-Denis now resembles the candidature: the conflict is suggested
    assert candidature_id in suggested()

    juror = open_as("jury", NOTATION)
    queue = next(
        df.value for df in juror.dataframe if "Corrigée depuis ma note" in df.value.columns
    )
    assert queue["Corrigée depuis ma note"].tolist().count("oui") == 1
    juror.selectbox(key="jury_candidature").set_value(f"{CATEGORIE}|{candidature_id}").run()
    read = [re.sub(r"\\(.)", r"\1", w.value).replace("\u2060", "") for w in juror.warning]
    assert any(
        "L'organisateur a corrigé cette candidature" in w
        and "territoire fixé : Saint-Denis (Seine-Saint-Denis, 93066)" in w
        and "Commune confirmée par téléphone" in w
        for w in read
    ), read
