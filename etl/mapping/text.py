"""A proposal as text: the commented mapping file, and the console's summary of it.

The mapping file is what ``trophees correspondance proposer`` writes and what the app
saves beside a loaded export: ``trophees load --mapping`` accepts it as is. Each column's
line says why (known wording, close wording, characteristic answers), its confidence and
the runner-up; unknown answers of choice questions come with their closest entry, written
commented out unless they are nearly the same (a typo).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from etl.editions import ESSENTIAL_FIELDS, Edition
from etl.french import agree, plural
from etl.mapping.document import Line, MappingFile, mapping_text, table_name
from etl.mapping.proposal import MIN_CONFIDENCE, Proposal

UNSURE = 0.7
"""Below this confidence a column is pointed out for a person to check."""
AUTO_ANSWER = 0.9
"""From this closeness an unknown answer is added to its closest entry (a typo); below,
the line is written commented out for a person to decide."""


def _fr(score: float) -> str:
    return f"{score:.2f}".replace(".", ",")


def mapping_file_text(
    proposal: Proposal,
    edition: Edition,
    colonnes: Mapping[str, str] | None = None,
    reponses: Mapping[tuple[str, str], str | None] | None = None,
    reprise: MappingFile | None = None,
) -> str:
    """The proposal as a commented mapping file that ``trophees load --mapping`` accepts.

    ``colonnes`` (column → field, ``""`` to leave out) and ``reponses`` ((field, unknown
    answer) → vocabulary code, None to leave unknown) are a person's choices (the app's
    tables); without them the proposal is written as proposed. ``reprise``: a mapping
    file the proposal started from, whose other settings (aliases, required questions,
    added answers) are written again.
    """
    lines = []
    for c in proposal.colonnes:
        second = (
            f" ; 2e choix : {c.second.champ} ({_fr(c.second.confiance)})"
            if c.second and c.second.confiance >= MIN_CONFIDENCE * 0.6
            else ""
        )
        chosen = c.champ or "" if colonnes is None else colonnes.get(c.colonne, c.champ or "")
        if chosen != (c.champ or ""):
            proposed = c.champ or "aucun champ"
            comment = f"choisi par une personne (proposition : {proposed})"
        elif c.champ is None:
            comment = f"{c.raison} : colonne ignorée{second}"
        elif c.confiance >= 1:
            comment = c.raison
        else:
            comment = f"{c.raison}, confiance {_fr(c.confiance)}{second}"
        lines.append(Line(c.colonne, chosen, comment))
    tables: dict[str, list[Line]] = {}
    for u in proposal.reponses_inconnues:
        decided = reponses is not None and (u.champ, u.reponse) in reponses
        code = reponses.get((u.champ, u.reponse)) if reponses is not None else u.proche
        if code is None:
            continue
        comment = f"réponse inconnue de « {u.champ} » ({plural(u.lignes, 'ligne')}), " + (
            "rattachée par une personne" if decided else f"la plus proche ({_fr(u.score)})"
        )
        active = decided or u.score >= AUTO_ANSWER
        tables.setdefault(table_name("vocabulaires", u.vocabulaire, code), []).append(
            Line("reponses_ajoutees", [u.reponse], comment, active)
        )
    for name, rows in _kept_settings(reprise).items():
        tables.setdefault(name, []).extend(rows)
    tables = {name: _merged(rows) for name, rows in tables.items()}
    for nom in proposal.manquants:
        if nom not in ESSENTIAL_FIELDS and nom not in (colonnes or {}).values():
            tables[table_name("formulaire", "champs", nom)] = [
                Line("obligatoire", False, "question absente de ce formulaire ?", False)
            ]
    en_tete = [
        f"Correspondance proposée pour « {proposal.fichier} » (édition {proposal.edition}).",
        "Chaque ligne de [colonnes] : « question telle que dans le fichier » = « champ »",
        '(= "" : colonne ignorée) ; le commentaire dit pourquoi et le 2e choix. Corrigez',
        "ce qui est faux, puis : trophees editions --mapping CE_FICHIER, et trophees load",
        "… --mapping CE_FICHIER. Format : docs/chargement.md.",
    ]
    if proposal.manquants:
        en_tete += [
            "",
            "ATTENTION : aucune colonne pour les champs obligatoires "
            f"{', '.join(proposal.manquants)} : affectez-leur une colonne dans [colonnes] "
            "(ou, si le formulaire ne posait pas la question, « obligatoire = false » "
            "plus bas), sinon le chargement sera refusé.",
        ]
    return mapping_text(
        proposal.edition, proposal.fichier, proposal.entetes, lines, tables, en_tete
    )


def _kept_settings(reprise: MappingFile | None) -> dict[str, list[Line]]:
    """The settings of a mapping file other than its columns, as lines to write again."""
    if reprise is None:
        return {}
    tables: dict[str, list[Line]] = {}
    note = f"repris de {reprise.fichier.name}"
    separateur = reprise.formulaire.get("separateur_choix_multiples")
    if separateur is not None:
        tables["formulaire"] = [Line("separateur_choix_multiples", separateur, note)]
    for nom, reglages in reprise.formulaire.get("champs", {}).items():
        tables[table_name("formulaire", "champs", nom)] = [
            Line(cle, valeur, note) for cle, valeur in reglages.items()
        ]
    for vocabulaire, valeurs in reprise.vocabulaires.items():
        for code, reglages in valeurs.items():
            tables[table_name("vocabulaires", vocabulaire, code)] = [
                Line("reponses_ajoutees", list(reglages["reponses_ajoutees"]), note)
            ]
    for code, answers in reprise.categories.items():
        tables[table_name("vocabulaires", "categories", code)] = [
            Line("reponses_ajoutees", list(answers), note)
        ]
    return tables


def _merged(lines: list[Line]) -> list[Line]:
    """One ``reponses_ajoutees`` list per vocabulary entry: the active answers together
    (a TOML key is written once), the suggestions left commented out after them."""
    answers = [line for line in lines if line.active and line.cle == "reponses_ajoutees"]
    others = [line for line in lines if line.active and line.cle != "reponses_ajoutees"]
    merged = list(others)
    if answers:
        values = list(dict.fromkeys(a for line in answers for a in line.valeur))
        comment = " ; ".join(dict.fromkeys(x.commentaire for x in answers))
        merged.append(Line("reponses_ajoutees", values, comment))
    return merged + [line for line in lines if not line.active]


def summary_fr(proposal: Proposal, sortie: Path) -> str:
    """What was proposed, for the console: columns matched, unsure, left out, unknown
    answers, missing required fields, and what to do next."""
    matched = [c for c in proposal.colonnes if c.champ is not None]
    unsure = [c for c in matched if c.confiance < UNSURE]
    left = [c for c in proposal.colonnes if c.champ is None]
    lines = [
        f"Correspondance proposée écrite dans {sortie} : {len(matched)} sur "
        f"{plural(len(proposal.colonnes), 'colonne')} {agree(len(matched), 'affectée')}.",
    ]
    if unsure:
        shown = ", ".join(f"« {c.colonne} » → {c.champ} ({_fr(c.confiance)})" for c in unsure)
        lines.append(f"À vérifier (confiance sous {_fr(UNSURE)}) : {shown}.")
    if left:
        lines.append(
            f"{plural(len(left), 'colonne')} {agree(len(left), 'ignorée')} : "
            + ", ".join(f"« {c.colonne} »" for c in left)
            + "."
        )
    if proposal.reponses_inconnues:
        lines.append(
            f"{plural(len(proposal.reponses_inconnues), 'réponse inconnue')} des questions à "
            "choix, avec l'entrée la plus proche, en fin de fichier."
        )
    if proposal.manquants:
        lines.append(
            "ATTENTION, aucune colonne pour : "
            + ", ".join(proposal.manquants)
            + " — le chargement serait refusé (voir le haut du fichier)."
        )
    lines.append(
        f"Ensuite : trophees editions --mapping {sortie}, puis trophees load "
        f"« {proposal.fichier} » --edition {proposal.edition} --mapping {sortie}."
    )
    return "\n".join(lines)
