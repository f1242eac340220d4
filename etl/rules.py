"""Form answers → typed values and the problems found, each with its rule and severity.

Grain: one row per submitted line of an export. Everything is vectorised (polars
expressions, or Python only over the *distinct* answers of a choice question).

Problems come out in one long frame (``PROBLEM_SCHEMA``): line, canonical field, header as
in the file, raw value, rule code, severity (« erreur » removes the value — or the whole
line when ``rejette_ligne`` — « avertissement » keeps it, flagged).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from etl import normalise as nz
from etl.editions import Edition, FormField, normalise_header
from etl.normalise import est_nul, texte
from etl.reading import COLONNE_LIGNE

LIGNE = COLONNE_LIGNE
BRUT = "__brut"
"""Suffix of the column keeping each field's raw text (for messages and audit)."""

PROBLEM_SCHEMA = {
    "ligne": pl.Int64,
    "champ": pl.String,
    "colonne": pl.String,
    "valeur": pl.String,
    "regle": pl.String,
    "severite": pl.String,
    "rejette_ligne": pl.Boolean,
}

IMPLAUSIBLE = {"h": 1_000_000, "personnes": 50_000}
"""Above these values (per unit) a figure is kept but flagged as implausible."""

RULE_MESSAGES: dict[str, str] = {
    "obligatoire_manquant": "réponse obligatoire manquante : la ligne est écartée",
    "choix_inconnu": "valeur « {valeur} » absente des réponses prévues par le formulaire",
    "categorie_inconnue": "catégorie « {valeur} » inconnue pour cette édition",
    "public_superieur_participants": "valeur « {valeur} » supérieure au nombre de participants",
    "valeur_superieure_au_total": "valeur « {valeur} » supérieure au total dont elle fait partie",
    "secteurs_superieurs_total": (
        "valeur « {valeur} » : la somme des heures par secteur dépasse le total d'heures"
    ),
    "valeur_implausible": "valeur « {valeur} » invraisemblable : conservée, à vérifier",
    "hors_delai": "réponse du « {valeur} » déposée après la clôture : conservée, signalée",
    "territoire_inconnu": "territoire « {valeur} » introuvable dans la géographie de référence",
    "territoire_ambigu": "territoire « {valeur} » ambigu : plusieurs communes possibles",
    "territoire_avertissement": "territoire « {valeur} » résolu avec réserve",
    "colonne_inconnue": "colonne « {valeur} » non prévue par la configuration : ignorée",
    "doublon_identique": "ligne identique à une autre ligne : comptée une seule fois",
    "version_remplacee": "version remplacée par une réponse plus récente du même répondant",
}
"""French template of every rule this module (and the warehouse) applies."""

RULE_LABELS: dict[str, str] = {
    **nz.LABELS,
    "obligatoire_manquant": "réponse obligatoire manquante",
    "choix_inconnu": "réponse non prévue",
    "categorie_inconnue": "catégorie inconnue",
    "public_superieur_participants": "public supérieur aux participants",
    "valeur_superieure_au_total": "valeur supérieure au total",
    "secteurs_superieurs_total": "secteurs supérieurs au total",
    "valeur_implausible": "valeur invraisemblable",
    "hors_delai": "hors délai",
    "territoire_inconnu": "territoire introuvable",
    "territoire_ambigu": "territoire ambigu",
    "territoire_avertissement": "territoire résolu avec réserve",
    "colonne_inconnue": "colonne non prévue",
    "doublon_identique": "doublon identique",
    "version_remplacee": "version remplacée",
}
"""Short French name of every rule (reading and loading), shown to people instead of the
code; the code stays in the ``regle`` column for analysts and filters."""


def rule_label(code: str) -> str:
    """The French name of a rule code (the code itself if it is unknown)."""
    return RULE_LABELS.get(code, code)


class ChargementImpossible(ValueError):
    """A whole file cannot be loaded (French message for the organiser)."""


@dataclass(frozen=True)
class HeaderMapping:
    """How the export's headers map to the edition's canonical fields."""

    colonnes: dict[str, str]
    """Canonical field → header as written in the file."""
    inconnues: tuple[str, ...]
    manquantes: tuple[str, ...]
    """Required canonical fields with no column."""


def map_headers(headers: Iterable[str], edition: Edition, fichier: str) -> HeaderMapping:
    """Match headers through the edition's aliases; raise if a required column is missing."""
    colonnes: dict[str, str] = {}
    inconnues: list[str] = []
    for header in headers:
        if header == LIGNE:
            continue
        champ = edition.match_header(header)
        if champ is None or champ.nom in colonnes:
            inconnues.append(header)
        else:
            colonnes[champ.nom] = header
    manquantes = tuple(f.nom for f in edition.champs if f.obligatoire and f.nom not in colonnes)
    if manquantes:
        details = []
        for nom in manquantes:
            champ = edition.field(nom)
            proches = [h for h in inconnues if nom in edition.closest_fields(h)]
            indice = f" ; en-têtes proches trouvés : « {'», «'.join(proches)} »" if proches else ""
            details.append(
                f"- {nom} (« {champ.alias[0] if champ.alias else champ.libelle} »){indice}"
            )
        raise ChargementImpossible(
            f"Fichier « {fichier} » : colonne(s) obligatoire(s) introuvable(s) pour l'édition "
            f"{edition.annee} :\n" + "\n".join(details) + "\nAjoutez l'intitulé de la question "
            "aux alias du champ (fichier de correspondance --mapping ou configuration "
            "d'édition, voir docs/editions.md)."
        )
    # the edition's field order, not the file's: tables come out the same for every export
    ordered = {f.nom: colonnes[f.nom] for f in edition.champs if f.nom in colonnes}
    return HeaderMapping(ordered, tuple(inconnues), manquantes)


def _texte(col: str) -> nz.Lecture:
    """Free text: trimmed (line breaks kept), null markers → null.

    Null markers are short (« non renseigné »), so only the first 40 characters are
    cleaned to test for them: long descriptions are never scanned whole.
    """
    propre = texte(pl.col(col).str.slice(0, 40))
    nul = est_nul(propre) & (pl.col(col).str.len_chars() <= 40)
    valeur = pl.when(~nul).then(pl.col(col).str.strip_chars())
    return nz.Lecture(valeur, pl.when(nul).then(pl.lit(nz.NON_RENSEIGNE)))


def _units(champ: FormField) -> tuple[str, ...]:
    if champ.unite == "h":
        return nz.UNITES_HEURES
    if champ.unite == "personnes":
        return nz.UNITES_EFFECTIFS
    return (champ.unite,) if champ.unite else ()


def field_reader(champ: FormField, col: str, header: str) -> nz.Lecture | None:
    """The vectorised reader of one canonical field (None for choice fields)."""
    kind = champ.type
    if kind == "entier":
        return nz.nombre(col, entier=True, unites=_units(champ))
    if kind == "decimal":
        return nz.nombre(col, unites=_units(champ))
    if kind == "pourcentage":
        return nz.pourcentage(col, question_en_pourcentage="%" in header)
    readers = {
        "booleen": nz.booleen,
        "horodatage": nz.horodatage,
        "email": nz.email,
        "telephone": nz.telephone,
        "siret": nz.siret,
        "code_postal": nz.code_postal,
        "departement": nz.departement,
    }
    if kind in readers:
        return readers[kind](col)
    if kind in ("texte", "commune"):
        return _texte(col)
    return None


REPEATED_ANSWERS = frozenset(
    {"entier", "decimal", "pourcentage", "booleen", "code_postal", "departement", "siret"}
)
"""Field types whose answers repeat across lines: each distinct answer is read once."""


def typed_answers(raw: pl.DataFrame, mapping: HeaderMapping, edition: Edition) -> pl.DataFrame:
    """One row per line: ``__ligne__``, then per field its value, ``__code`` and raw text."""
    frame = raw.select(
        pl.col(LIGNE).cast(pl.Int64),
        *[pl.col(h).alias(nom + BRUT) for nom, h in mapping.colonnes.items()],
    )
    per_row: dict[str, nz.Lecture] = {}
    per_answer: dict[str, nz.Lecture] = {}
    for nom, header in mapping.colonnes.items():
        champ = edition.field(nom)
        reader = field_reader(champ, nom + BRUT, header)
        if reader is not None:
            (per_answer if champ.type in REPEATED_ANSWERS else per_row)[nom] = reader
    typed = nz.normaliser(frame, per_row)
    for nom, reader in per_answer.items():
        # read each distinct answer once: counts and codes repeat a lot across lines
        raw_col = nom + BRUT
        table = nz.normaliser(frame.select(raw_col).unique(), {nom: reader})
        typed = typed.join(table, on=raw_col, how="left", nulls_equal=True, maintain_order="left")
    typed = _counts_from_percentages(typed, mapping, edition)
    for nom in mapping.colonnes:
        champ = edition.field(nom)
        if champ.type in ("choix", "choix_multiples"):
            typed = _with_choices(typed, champ, edition)
    return typed


def _counts_from_percentages(
    typed: pl.DataFrame, mapping: HeaderMapping, edition: Edition
) -> pl.DataFrame:
    """« 15 % » typed where a count is expected: converted with its base (the field it may
    not exceed, e.g. participants) and flagged ``effectif_calcule``; without a base it stays
    rejected as ``base_inconnue``. Never guessed silently."""
    code_pct = "pourcentage_pour_nombre"
    for nom in mapping.colonnes:
        champ = edition.field(nom)
        if champ.type != "entier" or not champ.au_plus or champ.au_plus not in mapping.colonnes:
            continue
        if not (typed[nom + nz.SUFFIXE_CODE] == code_pct).any():
            continue
        share = nz.normaliser(typed.select(nom + BRUT), {"f": nz.pourcentage(nom + BRUT)})
        lecture = nz.effectif_depuis_pourcentage(pl.col("f"), pl.col("base"))
        computed = nz.normaliser(
            share.select("f").with_columns(typed[champ.au_plus].alias("base")), {"n": lecture}
        )
        is_pct = pl.col(nom + nz.SUFFIXE_CODE) == code_pct
        typed = (
            typed.with_columns(
                computed["n"].alias("__n"), computed["n" + nz.SUFFIXE_CODE].alias("__c")
            )
            .with_columns(
                pl.when(is_pct).then(pl.col("__n")).otherwise(pl.col(nom)).alias(nom),
                pl.when(is_pct)
                .then(pl.col("__c"))
                .otherwise(pl.col(nom + nz.SUFFIXE_CODE))
                .alias(nom + nz.SUFFIXE_CODE),
            )
            .drop("__n", "__c")
        )
    return typed


def _with_choices(frame: pl.DataFrame, champ: FormField, edition: Edition) -> pl.DataFrame:
    """Map a choice answer to its vocabulary code(s), over distinct answers only."""
    assert champ.vocabulaire is not None
    vocabulaire = edition.vocabulary(champ.vocabulaire)
    multiple = champ.type == "choix_multiples"
    inconnu = "categorie_inconnue" if champ.nom == "categories" else "choix_inconnu"
    brut = champ.nom + BRUT
    distinct = frame[brut].drop_nulls().unique().to_list()
    valeurs: list[object] = []
    codes: list[str | None] = []
    rejets: list[str | None] = []
    for answer in distinct:
        propre = " ".join(answer.split())
        if not propre or normalise_header(propre) in nz.NULS or propre.lower() in nz.NULS:
            valeurs.append(None)
            codes.append(nz.NON_RENSEIGNE)
            rejets.append(None)
        elif multiple:
            choix = vocabulaire.codes_for(propre, edition.separateur_choix_multiples)
            valeurs.append(list(choix.codes) or None)
            codes.append(inconnu if choix.inconnus else None)
            rejets.append(", ".join(choix.inconnus) or None)
        else:
            code = vocabulaire.code_for(propre)
            valeurs.append(code)
            codes.append(None if code else inconnu)
            rejets.append(None if code else propre)
    dtype = pl.List(pl.String) if multiple else pl.String
    table = pl.DataFrame(
        {
            brut: pl.Series(distinct, dtype=pl.String),
            champ.nom: pl.Series(valeurs, dtype=dtype),
            champ.nom + nz.SUFFIXE_CODE: pl.Series(codes, dtype=pl.String),
            champ.nom + "__rejete": pl.Series(rejets, dtype=pl.String),
        }
    )
    joined = frame.join(table, on=brut, how="left", nulls_equal=False)
    return joined.with_columns(
        pl.when(pl.col(brut).is_null())
        .then(pl.lit(nz.NON_RENSEIGNE))
        .otherwise(pl.col(champ.nom + nz.SUFFIXE_CODE))
        .alias(champ.nom + nz.SUFFIXE_CODE)
    )


def value_problems(typed: pl.DataFrame, mapping: HeaderMapping, edition: Edition) -> pl.DataFrame:
    """Problems found while reading values, plus missing required answers."""
    parts = []
    for nom, header in mapping.colonnes.items():
        champ = edition.field(nom)
        code = pl.col(nom + nz.SUFFIXE_CODE)
        valeur = pl.col(nom)
        rejet = code.is_not_null() & (code != nz.NON_RENSEIGNE) & valeur.is_null()
        if nom + "__rejete" in typed.columns:
            # an unknown choice among known ones: the known ones stay, the answer is an error
            rejet = rejet | (code.is_in(["categorie_inconnue", "choix_inconnu"]))
        manquant = valeur.is_null() & (code.is_null() | (code == nz.NON_RENSEIGNE))
        regle = (
            pl.when(manquant & pl.lit(champ.obligatoire))
            .then(pl.lit("obligatoire_manquant"))
            .when(code != nz.NON_RENSEIGNE)
            .then(code)
        )
        brut = (
            pl.col(nom + "__rejete")
            if nom + "__rejete" in typed.columns
            else pl.col(nom + BRUT).cast(pl.String)
        )
        parts.append(
            typed.select(
                pl.col(LIGNE).alias("ligne"),
                pl.lit(nom).alias("champ"),
                pl.lit(header).alias("colonne"),
                pl.when(regle == "obligatoire_manquant")
                .then(pl.col(nom + BRUT).cast(pl.String))
                .otherwise(brut)
                .alias("valeur"),
                regle.alias("regle"),
                pl.when(rejet | (regle == "obligatoire_manquant"))
                .then(pl.lit("erreur"))
                .otherwise(pl.lit("avertissement"))
                .alias("severite"),
                (pl.lit(champ.obligatoire) & valeur.is_null()).alias("rejette_ligne"),
            ).filter(pl.col("regle").is_not_null())
        )
    return _problems(parts)


def _problems(parts: list[pl.DataFrame]) -> pl.DataFrame:
    if not parts:
        return pl.DataFrame(schema=PROBLEM_SCHEMA)
    return pl.concat([p.cast(PROBLEM_SCHEMA) for p in parts], how="vertical")  # type: ignore[arg-type]


def coherence(
    typed: pl.DataFrame, mapping: HeaderMapping, edition: Edition
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Coherence and plausibility rules; returns (frame with failing values removed, problems)."""
    parts = []
    nulls: dict[str, pl.Expr] = {}
    present = set(mapping.colonnes)
    for nom in mapping.colonnes:
        champ = edition.field(nom)
        header = mapping.colonnes[nom]
        limite = IMPLAUSIBLE.get(champ.unite or "")
        if limite is not None and champ.type in ("entier", "decimal"):
            parts.append(
                _rule(
                    typed, pl.col(nom) > limite, nom, header, "valeur_implausible", "avertissement"
                )
            )
        if champ.au_plus and champ.au_plus in present:
            depasse = pl.col(nom) > pl.col(champ.au_plus)
            regle = (
                "public_superieur_participants"
                if champ.au_plus == "nb_participants"
                else "valeur_superieure_au_total"
            )
            parts.append(_rule(typed, depasse, nom, header, regle, "erreur"))
            nulls[nom] = depasse
    totals: dict[str, list[str]] = {}
    for champ in edition.champs:
        if champ.composante_de and champ.nom in present and champ.composante_de in present:
            totals.setdefault(champ.composante_de, []).append(champ.nom)
    for total, composantes in totals.items():
        somme = pl.sum_horizontal([pl.col(c).fill_null(0) for c in composantes])
        depasse = somme > pl.col(total)
        parts.append(
            _rule(
                typed,
                depasse,
                composantes[0],
                mapping.colonnes[composantes[0]],
                "secteurs_superieurs_total",
                "erreur",
            )
        )
        for c in composantes:
            nulls[c] = depasse
    cleaned = typed.with_columns(
        [
            pl.when(cond.fill_null(False)).then(None).otherwise(pl.col(n)).alias(n)
            for n, cond in nulls.items()
        ]
    )
    return cleaned, _problems(parts)


def _rule(
    frame: pl.DataFrame, condition: pl.Expr, nom: str, header: str, regle: str, severite: str
) -> pl.DataFrame:
    return frame.filter(condition.fill_null(False)).select(
        pl.col(LIGNE).alias("ligne"),
        pl.lit(nom).alias("champ"),
        pl.lit(header).alias("colonne"),
        pl.col(nom + BRUT).cast(pl.String).alias("valeur"),
        pl.lit(regle).alias("regle"),
        pl.lit(severite).alias("severite"),
        pl.lit(False).alias("rejette_ligne"),
    )


def with_messages(problems: pl.DataFrame, fichier: str) -> pl.DataFrame:
    """Add the French sentence naming file, line, column, value and rule."""
    templates = {**nz.MESSAGES, **RULE_MESSAGES}
    table = pl.DataFrame({"regle": list(templates), "__modele": list(templates.values())})
    out = problems.join(table, on="regle", how="left")
    texte = (
        pl.col("__modele")
        .fill_null("règle « {valeur} »")
        .str.replace_all("{valeur}", pl.col("valeur").fill_null(""), literal=True)
    )
    lieu = pl.format(
        "Fichier « {} », ligne {}, colonne « {} » : ",
        pl.lit(fichier),
        pl.col("ligne"),
        pl.col("colonne"),
    )
    return out.with_columns(
        pl.concat_str(
            [
                lieu,
                texte,
                pl.format(
                    " (règle « {} »).",
                    pl.col("regle").replace_strict(
                        RULE_LABELS, default=pl.col("regle"), return_dtype=pl.String
                    ),
                ),
            ]
        ).alias("message")
    ).drop("__modele")
