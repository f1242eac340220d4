"""Form answers → typed values and the problems found, each with its rule and severity.

Grain: one row per submitted line of an export. Everything is vectorised (polars
expressions, or Python only over the *distinct* answers of a choice question).

Problems come out as problem rows (``etl.problems``): line, canonical field, header as in
the file, raw value, rule code, severity (« erreur » removes the value — or the whole line
when ``rejette_ligne`` — « avertissement » keeps it, flagged).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from etl import normalise as nz
from etl.editions import AUTRE_SUFFIX, Edition, FormField, normalise_header
from etl.french import agree, plural
from etl.normalise import est_nul, texte
from etl.problems import Severite, concat_problems, problem_rows
from etl.reading import COLONNE_LIGNE

LIGNE = COLONNE_LIGNE
BRUT = "__brut"
"""Suffix of the column keeping each field's raw text (for messages and audit)."""

IMPLAUSIBLE = {"h": 1_000_000, "personnes": 50_000}
"""Above these values (per unit) a figure is kept but flagged as implausible."""


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
    ignorees: tuple[str, ...] = ()
    """Headers a mapping file said to leave out."""


def map_headers(headers: Iterable[str], edition: Edition, fichier: str) -> HeaderMapping:
    """Match headers to fields: the columns a mapping file assigns first, then the
    edition's aliases; raise if a required column is missing."""
    headers = [h for h in headers if h != LIGNE]
    explicit = {normalise_header(h): nom for h, nom in edition.colonnes}
    colonnes: dict[str, str] = {}
    inconnues: list[str] = []
    ignorees: list[str] = []
    for header in headers:
        nom = explicit.get(normalise_header(header))
        if nom == "":
            ignorees.append(header)
        elif nom is not None:
            if nom in colonnes:
                inconnues.append(header)
            else:
                colonnes[nom] = header
    for header in headers:
        if normalise_header(header) in explicit:
            continue
        champ = edition.match_header(header)
        if champ is None or champ.nom in colonnes:
            inconnues.append(header)
        else:
            colonnes[champ.nom] = header
    manquantes = tuple(f.nom for f in edition.champs if f.obligatoire and f.nom not in colonnes)
    if manquantes:
        raise ChargementImpossible(_missing_message(fichier, edition, manquantes, inconnues))
    # the edition's field order, not the file's: tables come out the same for every export
    ordered = {f.nom: colonnes[f.nom] for f in edition.champs if f.nom in colonnes}
    order = {h: i for i, h in enumerate(headers)}
    return HeaderMapping(
        ordered, tuple(sorted(inconnues, key=order.__getitem__)), manquantes, tuple(ignorees)
    )


def _missing_message(
    fichier: str, edition: Edition, manquantes: tuple[str, ...], inconnues: list[str]
) -> str:
    """Which required questions were not found, the closest unmatched question of the
    file for each, and how to fix it."""
    from etl.mapping.similarity import Weights, similarity, words

    wordings = {f.nom: [f.libelle, *f.alias] for f in edition.champs}
    weights = Weights.of([w for t in texts for w in words(t)] for texts in wordings.values())
    details = []
    for nom in manquantes:
        champ = edition.field(nom)
        scored = [(max(similarity(h, w, weights) for w in wordings[nom]), h) for h in inconnues]
        best = max(scored, default=(0.0, ""))
        indice = (
            f" ; question la plus proche dans le fichier : « {best[1]} »" if best[0] >= 0.3 else ""
        )
        details.append(f"- {nom} (« {champ.alias[0] if champ.alias else champ.libelle} »){indice}")
    return (
        f"Fichier « {fichier} » : {plural(len(manquantes), 'question')} "
        f"{agree(len(manquantes), 'obligatoire')} {agree(len(manquantes), 'introuvable')} "
        f"pour l'édition {edition.annee} :\n"
        + "\n".join(details)
        + f"\nPréparez une correspondance : trophees correspondance proposer « {fichier} » "
        f"--edition {edition.annee} --sortie correspondance.toml, vérifiez-la, puis "
        "chargez avec --mapping correspondance.toml (ou, dans l'application, « Charger un "
        "export ») ; voir docs/chargement.md."
    )


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
        # hours may be decimal (« 28 038,4 ») yet « 1.234 » still means 1 234 hours
        return nz.nombre(col, unites=_units(champ), milliers=champ.unite == "h")
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


READERS_AT_ONCE = 4
"""Fields read together in one query over every line: more would run the regular
expressions of all of them at once, holding every intermediate column (measured: 100 Mo
more on 100 000 lines read all at once, for the same time)."""
DISTINCT_SHARE = 4
"""A field's answers are read once each when there are at most a quarter as many distinct
answers as lines (counts, codes, names and e-mails repeat; descriptions do not)."""


def typed_answers(raw: pl.DataFrame, mapping: HeaderMapping, edition: Edition) -> pl.DataFrame:
    """One row per line: ``__ligne__``, then per field its value, ``__code`` and raw text."""
    frame = raw.select(
        pl.col(LIGNE).cast(pl.Int64),
        *[pl.col(h).alias(nom + BRUT) for nom, h in mapping.colonnes.items()],
    )
    per_row: dict[str, nz.Lecture] = {}
    per_answer: dict[str, tuple[nz.Lecture, pl.Series]] = {}
    for nom, header in mapping.colonnes.items():
        reader = field_reader(edition.field(nom), nom + BRUT, header)
        if reader is None:
            continue
        answers_read = pl.col(nom + BRUT)
        if reader.raccourci is not None:  # (« 1234 »: taken as it is, not read)
            answers_read = answers_read.filter(~reader.raccourci[0])
        answers = frame.select(answers_read.unique()).to_series()
        if answers.len() * DISTINCT_SHARE <= frame.height:
            per_answer[nom] = (reader, answers)
        else:
            per_row[nom] = reader
    # each distinct answer read once (a query per field: padded side by side into one
    # query, the padding was read too), then looked up in ``frame``, whose columns are one
    # chunk each (a query's result may be in several, which every join would first copy)
    looked_up = [
        column
        for nom, (reader, answers) in per_answer.items()
        for column in _looked_up(
            frame,
            nom + BRUT,
            nz.normaliser(answers.to_frame(nom + BRUT), {nom: reader}),
            raccourci=reader.raccourci,
        )
    ]
    typed = frame
    readers = list(per_row.items())
    for start in range(0, len(readers), READERS_AT_ONCE):
        typed = nz.normaliser(typed, dict(readers[start : start + READERS_AT_ONCE]))
    typed = typed.with_columns(looked_up)
    typed = _counts_from_percentages(typed, mapping, edition)
    for nom in mapping.colonnes:
        champ = edition.field(nom)
        if champ.type in ("choix", "choix_multiples"):
            typed = _with_choices(typed, champ, edition)
    return typed


def _looked_up(
    frame: pl.DataFrame,
    key: str,
    table: pl.DataFrame,
    nulls_equal: bool = True,
    raccourci: tuple[pl.Expr, pl.Expr] | None = None,
) -> list[pl.Series]:
    """The columns of ``table`` (one row per distinct ``key``) for each row of ``frame``:
    a join on the key column alone, so the frame's other columns are not copied. With a
    reader's ``raccourci``, the rows it covers (absent from ``table``) take its value in
    the table's first column, and no code."""
    found = frame.select(key).join(
        table, on=key, how="left", nulls_equal=nulls_equal, maintain_order="left"
    )
    if raccourci is not None:
        valeur, (condition, direct) = next(c for c in table.columns if c != key), raccourci
        found = found.with_columns(pl.when(condition).then(direct).otherwise(valeur).alias(valeur))
    return [found[c] for c in table.columns if c != key]


def _counts_from_percentages(
    typed: pl.DataFrame, mapping: HeaderMapping, edition: Edition
) -> pl.DataFrame:
    """« 15 % » typed where a count is expected: converted with its base (the field it may
    not exceed, e.g. participants) and flagged ``effectif_calcule``, the base and the
    result said in ``<champ>__detail``; without a base it stays rejected as
    ``base_inconnue``. Never guessed silently."""
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
        base = edition.field(champ.au_plus)
        detail = pl.format(
            "appliqué à {} ({}) : {} retenu",
            pl.col("__base"),
            pl.lit(base.libelle.lower()),
            pl.col("__n"),
        )
        typed = (
            typed.with_columns(
                computed["n"].alias("__n"),
                computed["n" + nz.SUFFIXE_CODE].alias("__c"),
                computed["base"].alias("__base"),
            )
            .with_columns(
                pl.when(is_pct).then(pl.col("__n")).otherwise(pl.col(nom)).alias(nom),
                pl.when(is_pct)
                .then(pl.col("__c"))
                .otherwise(pl.col(nom + nz.SUFFIXE_CODE))
                .alias(nom + nz.SUFFIXE_CODE),
                pl.when(is_pct & (pl.col("__c") == "effectif_calcule"))
                .then(detail)
                .alias(nom + nz.SUFFIXE_DETAIL),
            )
            .drop("__n", "__c", "__base")
        )
    return typed


def _with_choices(frame: pl.DataFrame, champ: FormField, edition: Edition) -> pl.DataFrame:
    """Map a choice answer to its vocabulary code(s), over distinct answers only; the text
    of an « Autre : … » answer goes to ``<champ>_autre`` when the vocabulary is open."""
    assert champ.vocabulaire is not None
    vocabulaire = edition.vocabulary(champ.vocabulaire)
    multiple = champ.type == "choix_multiples"
    inconnu = "categorie_inconnue" if champ.nom == "categories" else "choix_inconnu"
    brut = champ.nom + BRUT
    distinct = frame[brut].drop_nulls().unique().to_list()
    valeurs: list[object] = []
    codes: list[str | None] = []
    rejets: list[str | None] = []
    autres: list[str | None] = []
    for answer in distinct:
        propre = " ".join(answer.split())
        if not propre or normalise_header(propre) in nz.NULS or propre.lower() in nz.NULS:
            valeurs.append(None)
            codes.append(nz.NON_RENSEIGNE)
            rejets.append(None)
            autres.append(None)
        elif multiple:
            choix = vocabulaire.codes_for(propre, edition.separateur_choix_multiples)
            valeurs.append(list(choix.codes) or None)
            codes.append(inconnu if choix.inconnus else None)
            rejets.append(", ".join(choix.inconnus) or None)
            autres.append(choix.autre)
        else:
            lu = vocabulaire.choice_for(propre)
            valeurs.append(lu.code)
            codes.append(None if lu.code else inconnu)
            rejets.append(None if lu.code else propre)
            autres.append(lu.autre)
    dtype = pl.List(pl.String) if multiple else pl.String
    columns = {
        brut: pl.Series(distinct, dtype=pl.String),
        champ.nom: pl.Series(valeurs, dtype=dtype),
        champ.nom + nz.SUFFIXE_CODE: pl.Series(codes, dtype=pl.String),
        champ.nom + "__rejete": pl.Series(rejets, dtype=pl.String),
    }
    if vocabulaire.open:
        columns[champ.nom + AUTRE_SUFFIX] = pl.Series(autres, dtype=pl.String)
    joined = frame.with_columns(_looked_up(frame, brut, pl.DataFrame(columns), nulls_equal=False))
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
        choix = nom + "__rejete" in typed.columns
        if choix:
            # an unknown choice among known ones: the known ones stay, the answer is an error
            rejet = rejet | (code.is_in(["categorie_inconnue", "choix_inconnu"]))
        manquant = valeur.is_null() & (code.is_null() | (code == nz.NON_RENSEIGNE))
        regle = (
            pl.when(manquant & pl.lit(champ.obligatoire))
            .then(pl.lit("obligatoire_manquant"))
            .when(code != nz.NON_RENSEIGNE)
            .then(code)
        )
        brut = pl.col(nom + BRUT).cast(pl.String)
        detail = nom + nz.SUFFIXE_DETAIL
        parts.append(
            problem_rows(
                typed,
                champ=nom,
                colonne=header,
                valeur=pl.when(regle == "obligatoire_manquant")
                .then(brut)
                .otherwise(pl.col(nom + "__rejete") if choix else brut),
                regle=regle,
                severite=pl.when(rejet | (regle == "obligatoire_manquant"))
                .then(pl.lit(Severite.ERREUR.value))
                .otherwise(pl.lit(Severite.AVERTISSEMENT.value)),
                rejette_ligne=pl.lit(champ.obligatoire) & valeur.is_null(),
                detail=pl.col(detail) if detail in typed.columns else None,
            )
        )
    return concat_problems(parts)


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
                    typed,
                    pl.col(nom) > limite,
                    nom,
                    header,
                    "valeur_implausible",
                    Severite.AVERTISSEMENT,
                )
            )
        if champ.au_plus and champ.au_plus in present:
            depasse = pl.col(nom) > pl.col(champ.au_plus)
            regle = (
                "public_superieur_participants"
                if champ.au_plus == "nb_participants"
                else "valeur_superieure_au_total"
            )
            parts.append(_rule(typed, depasse, nom, header, regle, Severite.ERREUR))
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
                Severite.ERREUR,
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
    return cleaned, concat_problems(parts)


def _rule(
    frame: pl.DataFrame,
    condition: pl.Expr,
    nom: str,
    header: str,
    regle: str,
    severite: Severite,
) -> pl.DataFrame:
    return problem_rows(
        frame,
        where=condition,
        champ=nom,
        colonne=header,
        valeur=pl.col(nom + BRUT).cast(pl.String),
        regle=regle,
        severite=severite,
    )
