"""French answers → typed values: every format, every code, scalar == vectorised."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from etl.normalise import (
    MESSAGES,
    NON_RENSEIGNE,
    NULS,
    SUFFIXE_CODE,
    SUFFIXE_DETAIL,
    UNITES_HEURES,
    Lecture,
    booleen,
    code_postal,
    commune_insee,
    departement,
    effectif_depuis_pourcentage,
    email,
    horodatage,
    lire,
    message,
    nombre,
    normaliser,
    pourcentage,
    siren,
    siret,
    statut,
    telephone,
)
from etl.reading import read_export

PARIS = ZoneInfo("Europe/Paris")
ENTIER_HEURES = {"entier": True, "unites": UNITES_HEURES}


def paris(
    annee: int, mois: int, jour: int, heure: int = 0, minute: int = 0, s: int = 0
) -> datetime:
    return datetime(annee, mois, jour, heure, minute, s, tzinfo=PARIS)


# (reader, options, typed value, expected value, expected code, expected detail)
CAS: list[tuple[Any, dict[str, Any], str | None, Any, str | None, str | None]] = [
    # numbers: grouping with space, NBSP, narrow NBSP, dots; decimal comma
    (nombre, {}, "1 234,5", 1234.5, None, None),
    (nombre, {}, "1\u00a0234,5", 1234.5, None, None),
    (nombre, {}, "1\u202f234", 1234.0, None, None),
    (nombre, {}, " 12\u202f000\u00a0", 12000.0, None, None),
    (nombre, {}, "1.234,5", 1234.5, None, None),
    (nombre, {}, "1.234.567", 1234567.0, None, None),
    (nombre, {}, "1,234.5", 1234.5, None, None),
    (nombre, {}, "1,234,567", 1234567.0, None, None),
    (nombre, {}, "1 234.5", 1234.5, None, None),
    (nombre, {}, "1,234", 1.234, None, None),
    (nombre, {}, "0.125", 0.125, None, None),
    (nombre, {}, "0,125", 0.125, None, None),
    (nombre, {}, ",5", 0.5, None, None),
    (nombre, {}, "12,0", 12.0, None, None),
    (nombre, {}, "+5", 5.0, None, None),
    (nombre, {}, "0", 0.0, None, None),
    # ambiguity and approximation are warnings: the value is kept
    (nombre, {}, "1.234", 1.234, "nombre_ambigu", None),
    (nombre, {"entier": True}, "1.234", 1234, "nombre_ambigu", None),
    (nombre, {"entier": True}, "12.500", 12500, "nombre_ambigu", None),
    (nombre, {}, "≈ 3 000", 3000.0, "approximation", None),
    (nombre, {}, "~3000", 3000.0, "approximation", None),
    (nombre, {}, "environ 3000", 3000.0, "approximation", None),
    (nombre, {}, "3 000 environ", 3000.0, "approximation", None),
    (nombre, {}, "plus de 50", 50.0, "approximation", None),
    (nombre, {}, "> 50", 50.0, "approximation", None),
    # units: only those the question accepts
    (nombre, ENTIER_HEURES, "12 000 h", 12000, None, None),
    (nombre, ENTIER_HEURES, "12000 heures", 12000, None, None),
    (nombre, ENTIER_HEURES, "12 000h", 12000, None, None),
    (nombre, ENTIER_HEURES, "environ 12 000 heures", 12000, "approximation", None),
    (nombre, {}, "12 000 h", None, "unite_inattendue", None),
    (nombre, ENTIER_HEURES, "5 ETP", None, "unite_inattendue", None),
    (nombre, {"entier": True}, "12 %", None, "pourcentage_pour_nombre", None),
    (nombre, {"entier": True}, "12,5 %", None, "pourcentage_pour_nombre", None),
    # rejections
    (nombre, ENTIER_HEURES, "12 OOO", None, "nombre_illisible", None),
    (nombre, {}, "douze", None, "nombre_illisible", None),
    (nombre, {}, "12 34", None, "nombre_illisible", None),
    (nombre, {}, "1.2.3", None, "nombre_illisible", None),
    (nombre, {}, "12 et 13", None, "nombre_illisible", None),
    (nombre, {}, "néant", None, "nombre_illisible", None),
    (nombre, {}, "-5", None, "nombre_negatif", None),
    (nombre, {}, "−5", None, "nombre_negatif", None),
    (nombre, {"negatif_autorise": True}, "-5", -5.0, None, None),
    (nombre, {"negatif_autorise": True}, "- 1 234,5", -1234.5, None, None),
    (nombre, {"entier": True}, "12,5", None, "decimal_pour_entier", None),
    (nombre, {"entier": True, "decimal_tolere": True}, "12,5", 12, "decimal_pour_entier", None),
    (nombre, {"entier": True, "decimal_tolere": True}, "12,6", 13, "decimal_pour_entier", None),
    (nombre, {"entier": True}, "12,0", 12, None, None),
    (nombre, {"entier": True}, "1 234", 1234, None, None),
    # percentages: the unit is resolved explicitly
    (pourcentage, {}, "12,5 %", 0.125, None, "pourcentage_explicite"),
    (pourcentage, {}, "12,5%", 0.125, None, "pourcentage_explicite"),
    (pourcentage, {}, "12.5 %", 0.125, None, "pourcentage_explicite"),
    (pourcentage, {}, "12,5\u202f%", 0.125, None, "pourcentage_explicite"),
    (pourcentage, {}, "12,5 pour cent", 0.125, None, "pourcentage_explicite"),
    (pourcentage, {}, "0,5 %", 0.005, None, "pourcentage_explicite"),
    (pourcentage, {}, "100 %", 1.0, None, "pourcentage_explicite"),
    (pourcentage, {}, "0,125", 0.125, None, "fraction"),
    (pourcentage, {}, "0.125", 0.125, None, "fraction"),
    (pourcentage, {}, "0", 0.0, None, "fraction"),
    (pourcentage, {}, "12", None, "pourcentage_ambigu", "ambigu"),
    (pourcentage, {}, "12,5", None, "pourcentage_ambigu", "ambigu"),
    (pourcentage, {}, "1", None, "pourcentage_ambigu", "ambigu"),
    (pourcentage, {"question_en_pourcentage": True}, "12,5", 0.125, None, "pourcentage_question"),
    (pourcentage, {"question_en_pourcentage": True}, "1", 0.01, None, "pourcentage_question"),
    (pourcentage, {"question_en_pourcentage": True}, "0,5", None, "pourcentage_ambigu", "ambigu"),
    (pourcentage, {"question_en_pourcentage": True}, "0", 0.0, None, "fraction"),
    (pourcentage, {"question_en_pourcentage": True}, "15 %", 0.15, None, "pourcentage_explicite"),
    (pourcentage, {}, "150 %", None, "pourcentage_hors_bornes", "pourcentage_explicite"),
    (pourcentage, {"maximum": None}, "150 %", 1.5, None, "pourcentage_explicite"),
    (pourcentage, {}, "-5 %", None, "pourcentage_hors_bornes", "pourcentage_explicite"),
    (pourcentage, {}, "≈ 15 %", 0.15, "approximation", "pourcentage_explicite"),
    (pourcentage, {}, "beaucoup", None, "pourcentage_illisible", None),
    (pourcentage, {}, "15 h", None, "pourcentage_illisible", None),
    # timestamps → Europe/Paris
    (horodatage, {}, "21/11/2023 12:00:00", paris(2023, 11, 21, 12), None, None),
    (horodatage, {}, "21/11/2023 12:00", paris(2023, 11, 21, 12), None, None),
    (horodatage, {}, "21/11/2023", paris(2023, 11, 21), None, None),
    (horodatage, {}, "1/7/2023 9h05", paris(2023, 7, 1, 9, 5), None, None),
    (horodatage, {}, "21-11-2023 08:30:15", paris(2023, 11, 21, 8, 30, 15), None, None),
    (horodatage, {}, "45251.5", paris(2023, 11, 21, 12), None, None),
    (horodatage, {}, "45251,75", paris(2023, 11, 21, 18), None, None),
    (horodatage, {}, "45251", paris(2023, 11, 21), None, None),
    (horodatage, {}, "2023-11-21T12:00:00", paris(2023, 11, 21, 12), None, None),
    (horodatage, {}, "2023-11-21T12:00", paris(2023, 11, 21, 12), None, None),
    (horodatage, {}, "2023-11-21 12:00:00", paris(2023, 11, 21, 12), None, None),
    (horodatage, {}, "2023-11-21", paris(2023, 11, 21), None, None),
    (horodatage, {}, "2023-11-21T11:00:00Z", paris(2023, 11, 21, 12), None, None),
    (horodatage, {}, "2023-07-01T12:00:00+02:00", paris(2023, 7, 1, 12), None, None),
    (horodatage, {}, "2023-07-01T10:00:00+0000", paris(2023, 7, 1, 12), None, None),
    (horodatage, {}, "01/07/2023 12:00", paris(2023, 7, 1, 12), None, None),
    (horodatage, {}, "31/02/2023", None, "date_inexistante", None),
    (horodatage, {}, "21/13/2023 10:00", None, "date_inexistante", None),
    (horodatage, {}, "21/11/2023 25:00", None, "date_inexistante", None),
    (horodatage, {}, "26/03/2023 02:30", None, "heure_inexistante", None),
    (horodatage, {}, "29/10/2023 02:30", paris(2023, 10, 29, 2, 30), "heure_ambigue", None),
    (horodatage, {}, "hier soir", None, "date_illisible", None),
    (horodatage, {}, "21/11/23", None, "date_illisible", None),
    (horodatage, {}, "12", None, "date_illisible", None),
    # booleans
    (booleen, {}, "Oui", True, None, None),
    (booleen, {}, "OUI", True, None, None),
    (booleen, {}, "oui ", True, None, None),
    (booleen, {}, "Non", False, None, None),
    (booleen, {}, "NON", False, None, None),
    (booleen, {}, "non.", False, None, None),
    (booleen, {}, "O", True, None, None),
    (booleen, {}, "N", False, None, None),
    (booleen, {}, "Vrai", True, None, None),
    (booleen, {}, "FAUX", False, None, None),
    (booleen, {}, "VRAI", True, None, None),
    (booleen, {}, "yes", True, None, None),
    (booleen, {}, "no", False, None, None),
    (booleen, {}, "1", True, None, None),
    (booleen, {}, "0", False, None, None),
    (booleen, {}, "x", True, None, None),
    (booleen, {}, "✓", True, None, None),
    (booleen, {}, "peut-être", None, "booleen_illisible", None),
    (booleen, {}, "Oui, adhérent AVE", None, "booleen_illisible", None),
    # départements
    (departement, {}, "1", "01", None, None),
    (departement, {}, "01", "01", None, None),
    (departement, {}, "2a", "2A", None, None),
    (departement, {}, "2B", "2B", None, None),
    (departement, {}, "971", "971", None, None),
    (departement, {}, "976", "976", None, None),
    (departement, {}, "95", "95", None, None),
    (departement, {}, "01 - Ain", "01", None, None),
    (departement, {}, "75 Paris", "75", None, None),
    (departement, {}, "Ain (01)", "01", None, None),
    (departement, {}, "Corse-du-Sud (2A)", "2A", None, None),
    (departement, {}, "20", None, "departement_corse_20", None),
    (departement, {}, "975", None, "departement_invalide", None),
    (departement, {}, "96", None, "departement_invalide", None),
    (departement, {}, "00", None, "departement_invalide", None),
    (departement, {}, "Paris", None, "departement_invalide", None),
    # communes (INSEE) and postcodes
    (commune_insee, {}, "75056", "75056", None, None),
    (commune_insee, {}, "2A004", "2A004", None, None),
    (commune_insee, {}, "2b033", "2B033", None, None),
    (commune_insee, {}, "97411", "97411", None, None),
    (commune_insee, {}, "97608", "97608", None, None),
    (commune_insee, {}, "1001", "01001", "zero_initial_ajoute", None),
    (commune_insee, {}, "20004", None, "commune_invalide", None),
    (commune_insee, {}, "97501", None, "commune_invalide", None),
    (commune_insee, {}, "750560", None, "commune_invalide", None),
    (commune_insee, {}, "Paris", None, "commune_invalide", None),
    (code_postal, {}, "75001", "75001", None, None),
    (code_postal, {}, "75 001", "75001", None, None),
    (code_postal, {}, "75001 Cedex", "75001", None, None),
    (code_postal, {}, "75700 CEDEX 07", "75700", None, None),
    (code_postal, {}, "34000 Montpellier", "34000", None, None),
    (code_postal, {}, "20000", "20000", None, None),
    (code_postal, {}, "97400", "97400", None, None),
    (code_postal, {}, "1000", "01000", "zero_initial_ajoute", None),
    (code_postal, {}, "00100", None, "code_postal_invalide", None),
    (code_postal, {}, "750", None, "code_postal_invalide", None),
    # SIRET / SIREN (Luhn; La Poste exception)
    (siret, {}, "732 829 320 00074", "73282932000074", None, None),
    (siret, {}, "73282932000074", "73282932000074", None, None),
    (siret, {}, "732.829.320.00074", "73282932000074", None, None),
    (siret, {}, "73282932000075", None, "siret_cle_invalide", None),
    (siret, {}, "35600000000048", "35600000000048", None, None),
    (siret, {}, "35600000049837", "35600000049837", None, None),
    (siret, {}, "35600000049838", None, "siret_cle_invalide", None),
    (siret, {}, "7328293200007", None, "siret_format_invalide", None),
    (siret, {}, "SIRET en cours", None, "siret_format_invalide", None),
    (siren, {}, "732 829 320", "732829320", None, None),
    (siren, {}, "356000000", "356000000", None, None),
    (siren, {}, "732829321", None, "siren_cle_invalide", None),
    (siren, {}, "73282932", None, "siren_format_invalide", None),
    # contacts
    (email, {}, "Jean.Dupont@Mairie-Evry.fr", "jean.dupont@mairie-evry.fr", None, None),
    (email, {}, "mailto:contact@plie.fr", "contact@plie.fr", None, None),
    (email, {}, "a@b", None, "email_invalide", None),
    (email, {}, "a b@c.fr", None, "email_invalide", None),
    (email, {}, "a@@b.fr", None, "email_invalide", None),
    (email, {}, "a..b@c.fr", None, "email_invalide", None),
    (email, {}, "a@b.fr; c@d.fr", None, "email_invalide", None),
    (telephone, {}, "06 12 34 56 78", "06 12 34 56 78", None, None),
    (telephone, {}, "0612345678", "06 12 34 56 78", None, None),
    (telephone, {}, "06.12.34.56.78", "06 12 34 56 78", None, None),
    (telephone, {}, "06-12-34-56-78", "06 12 34 56 78", None, None),
    (telephone, {}, "+33 6 12 34 56 78", "06 12 34 56 78", None, None),
    (telephone, {}, "+33 (0)1 23 45 67 89", "01 23 45 67 89", None, None),
    (telephone, {}, "0033 1 23 45 67 89", "01 23 45 67 89", None, None),
    (telephone, {}, "+262 692 12 34 56", "06 92 12 34 56", None, None),
    (telephone, {}, "612345678", "06 12 34 56 78", "zero_initial_ajoute", None),
    (telephone, {}, "+32 2 123 45 67", "+3221234567", "telephone_etranger", None),
    (telephone, {}, "12", None, "telephone_invalide", None),
    (telephone, {}, "06 12 34 56", None, "telephone_invalide", None),
    (telephone, {}, "voir e-mail", None, "telephone_invalide", None),
]

LECTEURS = [nombre, pourcentage, horodatage, booleen, departement, commune_insee, code_postal]
LECTEURS += [siret, siren, email, telephone]


def _cle(options: dict[str, Any]) -> str:
    return repr(sorted(options.items()))


def _par_lecteur() -> dict[tuple[Any, str], list[tuple[str | None, Any, str | None, Any]]]:
    """Cases grouped by (reader, options)."""
    groupes: dict[tuple[Any, str], list[tuple[str | None, Any, str | None, Any]]] = {}
    for lecteur, options, saisi, valeur, code, detail in CAS:
        groupes.setdefault((lecteur, _cle(options)), []).append((saisi, valeur, code, detail))
    return groupes


def _proche(obtenu: Any, attendu: Any) -> bool:
    if isinstance(attendu, float) and isinstance(obtenu, float):
        return abs(obtenu - attendu) < 1e-12
    return bool(obtenu == attendu) and type(obtenu) is type(attendu)


@pytest.mark.parametrize(("lecteur", "options", "saisi", "valeur", "code", "detail"), CAS)
def test_case_table_scalar(
    lecteur: Any, options: dict[str, Any], saisi: str, valeur: Any, code: str | None, detail: Any
) -> None:
    resultat = lire(lecteur, saisi, **options)
    assert _proche(resultat.valeur, valeur), resultat
    assert resultat.code == code, resultat
    assert resultat.detail == detail, resultat


def test_vectorised_equals_scalar_on_the_whole_table() -> None:
    """Each reader runs once over all its cases shuffled and repeated; every row must equal
    the one-value reading (row independence) and the hand-written expectation."""
    rng = random.Random(7)
    options_par_cle = {_cle(o): o for _, o, *_ in CAS}
    for (lecteur, cle), cas in _par_lecteur().items():
        options = options_par_cle[cle]
        lignes = [c for c in cas for _ in range(5)]
        rng.shuffle(lignes)
        frame = pl.DataFrame({"saisi": [c[0] for c in lignes]}, schema={"saisi": pl.String})
        sortie = normaliser(frame, {"lu": lecteur("saisi", **options)})
        scalaires = {c[0]: lire(lecteur, c[0], **options) for c in cas}
        for ligne, (saisi, valeur, code, _) in zip(
            sortie.iter_rows(named=True), lignes, strict=True
        ):
            attendu = scalaires[saisi]
            assert _proche(ligne["lu"], attendu.valeur) or ligne["lu"] == attendu.valeur
            assert ligne["lu" + SUFFIXE_CODE] == attendu.code == code
            assert _proche(ligne["lu"], valeur) or (ligne["lu"] is None and valeur is None)
            assert ligne.get("lu" + SUFFIXE_DETAIL) == attendu.detail


@pytest.mark.parametrize("lecteur", LECTEURS)
def test_null_markers_are_non_renseigne_never_zero(lecteur: Any) -> None:
    saisis: list[str | None] = [None, "", "   ", "\u00a0", "\t", *NULS, "N/A", "NA", "NC", "Nc"]
    saisis += ["Non communiqué", "NON RENSEIGNÉ", " n/a "]
    frame = pl.DataFrame({"saisi": saisis}, schema={"saisi": pl.String})
    sortie = normaliser(frame, {"lu": lecteur("saisi")}).with_columns(statut("lu").alias("s"))
    assert sortie["lu"].null_count() == len(saisis)
    assert set(sortie["lu" + SUFFIXE_CODE]) == {NON_RENSEIGNE}
    assert set(sortie["s"]) == {NON_RENSEIGNE}


def test_every_code_has_a_french_message_and_every_message_a_code() -> None:
    produits = {code for *_, code, _ in CAS if code} | {NON_RENSEIGNE, "base_inconnue"}
    produits |= {"effectif_calcule"}
    assert produits == set(MESSAGES)
    for code, modele in MESSAGES.items():
        assert re.fullmatch(r"[a-z_0-9]+", code)
        assert "{valeur}" in modele or code == NON_RENSEIGNE
        assert modele.format(valeur="x")


def test_message_is_the_sentence_users_read() -> None:
    texte = message("nombre_illisible", "12 OOO", ligne=12, colonne="Heures d'insertion réalisées")
    assert texte == (
        "Ligne 12, colonne « Heures d'insertion réalisées » : valeur « 12 OOO » illisible "
        "comme nombre (règle « nombre illisible »)"
    )
    assert message("email_invalide", "a@b") == (
        "valeur « a@b » : adresse e-mail invalide (règle « e-mail invalide »)"
    )


def test_statut_separates_ok_warning_rejection_and_missing() -> None:
    frame = pl.DataFrame({"h": ["12 000", "≈ 3 000", "douze", "n/a"]})
    sortie = normaliser(frame, {"heures": nombre("h", entier=True)})
    assert sortie.select(statut("heures")).to_series().to_list() == [
        "ok",
        "avertissement",
        "rejet",
        NON_RENSEIGNE,
    ]


def test_normaliser_adds_only_its_outputs_and_accepts_expressions() -> None:
    frame = pl.DataFrame({"a": [" 1 234 "], "b": ["12,5 %"]})
    sortie = normaliser(
        frame,
        {"a_lu": nombre(pl.col("a").str.strip_chars()), "b_lu": pourcentage("b")},
    )
    assert sortie.columns == ["a", "b", "a_lu", "a_lu__code", "b_lu", "b_lu__code", "b_lu__detail"]
    assert sortie.row(0) == (
        " 1 234 ",
        "12,5 %",
        1234.0,
        None,
        0.125,
        None,
        "pourcentage_explicite",
    )


def test_the_same_column_can_be_read_twice() -> None:
    frame = pl.DataFrame({"v": ["1.234", "12"]})
    sortie = normaliser(frame, {"e": nombre("v", entier=True), "d": nombre("v")})
    assert sortie["e"].to_list() == [1234, 12]
    assert sortie["d"].to_list() == [1.234, 12.0]


def test_effectif_depuis_pourcentage_needs_a_known_base() -> None:
    frame = pl.DataFrame(
        {"part": [0.125, 0.125, None], "base": [40, None, 40]},
        schema={"part": pl.Float64, "base": pl.Int64},
    )
    lecture: Lecture = effectif_depuis_pourcentage(pl.col("part"), pl.col("base"))
    sortie = normaliser(frame, {"femmes": lecture})
    assert sortie["femmes"].to_list() == [5, None, None]
    assert sortie["femmes__code"].to_list() == ["effectif_calcule", "base_inconnue", NON_RENSEIGNE]
    assert sortie.select(statut("femmes")).to_series().to_list() == [
        "avertissement",
        "rejet",
        NON_RENSEIGNE,
    ]


def test_excel_percent_cell_is_explicit_and_never_a_count() -> None:
    """The reader writes a percent cell as « 12,5 % »: a percent reader takes it as
    explicit, a count reader refuses it instead of reading 0.125 or 12.5 people."""
    brut = read_export(
        Path(__file__).resolve().parents[1] / "data" / "reading" / "deux_feuilles.xlsx"
    )
    sortie = normaliser(
        brut.frame,
        {
            "part": pourcentage("Part de femmes"),
            "compte": nombre("Part de femmes", entier=True),
            "moment": horodatage("Horodateur"),
            "dep": departement("Département"),
            "heures": nombre("Heures d'insertion réalisées", entier=True),
        },
    )
    assert sortie["part"].to_list() == [0.125, 0.125, 0.07]
    assert sortie["part__detail"].to_list() == ["pourcentage_explicite"] * 3
    assert sortie["compte"].to_list() == [None, None, None]
    assert set(sortie["compte__code"]) == {"pourcentage_pour_nombre"}
    assert sortie["moment"].to_list() == [
        paris(2023, 11, 21, 9, 15, 2),
        paris(2023, 11, 21, 12),
        paris(2023, 11, 21, 12),
    ]
    assert sortie["dep"].to_list() == ["01", "2A", None]
    assert sortie["heures"].to_list()[0] == 1234


# --- Independent oracles -----------------------------------------------------------------


def _luhn(chiffres: str) -> bool:
    total = 0
    for rang, caractere in enumerate(reversed(chiffres)):
        chiffre = int(caractere) * (2 if rang % 2 else 1)
        total += chiffre - 9 if chiffre > 9 else chiffre
    return total % 10 == 0


def _siret_valide(chiffres: str) -> bool:
    la_poste = chiffres.startswith("356000000") and sum(map(int, chiffres)) % 5 == 0
    return _luhn(chiffres) or la_poste


def test_siret_and_siren_agree_with_a_python_luhn_oracle() -> None:
    rng = random.Random(11)
    sirets = ["".join(rng.choices("0123456789", k=14)) for _ in range(3000)]
    sirets += ["356000000" + "".join(rng.choices("0123456789", k=5)) for _ in range(500)]
    sirens = ["".join(rng.choices("0123456789", k=9)) for _ in range(3000)]
    frame = pl.DataFrame({"siret": sirets, "siren": sirens[: len(sirets)] + sirens[:500]})
    sortie = normaliser(frame, {"t": siret("siret"), "n": siren("siren")})
    assert sortie["t"].is_not_null().to_list() == [_siret_valide(s) for s in sirets]
    assert sortie["n"].is_not_null().to_list() == [_luhn(s) for s in frame["siren"]]
    assert sum(_siret_valide(s) and not _luhn(s) for s in sirets) > 0  # the exception is hit


def test_naive_times_follow_paris_offsets_all_year() -> None:
    """Every hour of 2023 typed as « jj/mm/aaaa hh:mm » must equal zoneinfo's reading,
    except the skipped spring hour (rejected) and the repeated autumn hour (flagged)."""
    debut = datetime(2023, 1, 1)
    heures = [debut + timedelta(hours=h, minutes=30) for h in range(365 * 24)]
    frame = pl.DataFrame({"t": [h.strftime("%d/%m/%Y %H:%M") for h in heures]})
    sortie = normaliser(frame, {"m": horodatage("t")})
    codes = sortie["m__code"].to_list()
    for naif, lu, code in zip(heures, sortie["m"].to_list(), codes, strict=True):
        attendu = naif.replace(tzinfo=PARIS)
        if code == "heure_inexistante":
            assert (naif.month, naif.day, naif.hour) == (3, 26, 2)
        else:
            assert lu == attendu and lu.utcoffset() == attendu.utcoffset(), naif
    assert codes.count("heure_inexistante") == 1
    assert codes.count("heure_ambigue") == 1
