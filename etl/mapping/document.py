"""A mapping file: how one form export fits an edition, read, checked, applied, written.

The file (TOML, ``docs/chargement.md``) completes the edition for one export, never the
other way round: it only says which column is which field, which columns to leave out,
which other answers a choice accepts, and which questions this form did not require.
Every section is optional:

- ``[correspondance]``: ``edition`` (checked against the edition being loaded),
  ``fichier`` and ``entetes`` (the export it was made for; informative);
- ``[colonnes]``: ``"question as in the file" = "champ"``, or ``= ""`` to leave the
  column out; wins over the aliases of the edition;
- ``[formulaire]``: ``separateur_choix_multiples``; ``[formulaire.champs.<champ>]``:
  ``alias_ajoutes`` (other wordings of the question), ``obligatoire`` (true/false);
- ``[vocabulaires.<vocabulaire>.<valeur>]``: ``reponses_ajoutees`` (other answers meaning
  this value; ``[vocabulaires.categories.<CODE>]`` for a prize).

A field or a value that the edition does not define is refused (« champ inconnu », with
the closest name), as is a type change (a type is part of the warehouse contract: it
belongs in the edition file). Errors name the mapping file and the key.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w
from rapidfuzz import fuzz, process

from etl.editions import (
    CATEGORIES_VOCABULARY,
    ESSENTIAL_FIELDS,
    ConfigTable,
    Edition,
    MappingError,
    deep_merge,
    edition_document,
    load_edition,
    read_toml,
)
from etl.editions.build import build_edition


@dataclass(frozen=True)
class MappingFile:
    """A mapping file checked against an edition."""

    fichier: Path
    edition: int | None
    colonnes: tuple[tuple[str, str], ...]
    """(question as written, field or ``""``), in file order."""
    formulaire: dict[str, Any]
    vocabulaires: dict[str, Any]
    categories: dict[str, tuple[str, ...]]
    """Prize code → other answers meaning it."""

    def describe_fr(self, edition: Edition) -> str:
        """What the file does, in one French paragraph (``trophees editions --mapping``)."""
        affectees = sum(1 for _, nom in self.colonnes if nom)
        ignorees = len(self.colonnes) - affectees
        champs = self.formulaire.get("champs", {})
        alias = sum(len(t.get("alias_ajoutes", [])) for t in champs.values())
        facultatifs = sorted(n for n, t in champs.items() if t.get("obligatoire") is False)
        obligatoires = sorted(n for n, t in champs.items() if t.get("obligatoire") is True)
        reponses = sum(
            len(v.get("reponses_ajoutees", []))
            for voc in self.vocabulaires.values()
            for v in voc.values()
        ) + sum(len(a) for a in self.categories.values())
        lignes = [
            f"Correspondance {self.fichier.name} valide pour l'édition {edition.annee} :",
            f"- colonnes affectées à un champ : {affectees} ; colonnes ignorées : {ignorees}",
            f"- intitulés ajoutés : {alias} ; réponses ajoutées aux vocabulaires : {reponses}",
        ]
        if facultatifs:
            lignes.append(f"- rendus facultatifs : {', '.join(facultatifs)}")
        if obligatoires:
            lignes.append(f"- rendus obligatoires : {', '.join(obligatoires)}")
        return "\n".join(lignes)


def _suggestion(name: str, known: Iterable[str]) -> str:
    """« Vouliez-vous dire … ? » with the known name spelt most alike (a typo, a prefix)."""
    best = process.extractOne(name, sorted(known), scorer=fuzz.WRatio, score_cutoff=70)
    return f" Vouliez-vous dire « {best[0]} » ?" if best else ""


def _unknown_field(table: ConfigTable, cle: str | None, nom: str, edition: Edition) -> MappingError:
    names = [c.nom for c in edition.champs]
    message = (
        f"champ inconnu « {nom} » pour l'édition {edition.annee}.{_suggestion(nom, names)} "
        "Les champs sont listés dans docs/dictionnaire.md (vue candidatures) ; un nouveau "
        "champ s'ajoute dans le fichier d'édition, pas dans une correspondance."
    )
    return MappingError(table.fichier, table.path_of(cle) if cle else table.chemin, message)


def read_mapping(path: Path, edition: Edition) -> MappingFile:
    """The mapping file at ``path``, checked against ``edition`` (``MappingError`` if not)."""
    racine = ConfigTable(read_toml(path, MappingError), path, erreur=MappingError)
    annee = _header_section(racine, edition)
    colonnes = _columns(racine, edition)
    formulaire = _form(racine, edition)
    vocabulaires, categories = _vocabularies(racine, edition)
    racine.finish()
    return MappingFile(path, annee, colonnes, formulaire, vocabulaires, categories)


def _header_section(racine: ConfigTable, edition: Edition) -> int | None:
    table = racine.optional_table("correspondance")
    if table is None:
        return None
    annee = table.optional_integer("edition")
    table.optional_text("fichier")
    table.optional_text("entetes")
    table.finish()
    if annee is not None and annee != edition.annee:
        raise table.error(
            "edition",
            f"cette correspondance a été préparée pour l'édition {annee}, pas pour "
            f"{edition.annee} : choisissez la bonne édition ou proposez une nouvelle "
            "correspondance pour ce fichier.",
        )
    return annee


def _columns(racine: ConfigTable, edition: Edition) -> tuple[tuple[str, str], ...]:
    table = racine.optional_table("colonnes")
    if table is None:
        return ()
    found: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for header, nom in table.data.items():
        table.has(header)
        cle = f'"{header}"'
        if not isinstance(nom, str):
            raise table.error(
                cle, f'attendu un nom de champ entre guillemets (ou ""), trouvé {nom!r}.'
            )
        nom = nom.strip()
        if nom:
            try:
                edition.field(nom)
            except KeyError:
                raise _unknown_field(table, cle, nom, edition) from None
            if nom in seen:
                raise table.error(
                    cle,
                    f"le champ « {nom} » est déjà affecté à la colonne « {seen[nom]} » : une "
                    "colonne par champ.",
                )
            seen[nom] = header
        found.append((header, nom))
    table.finish()
    return tuple(found)


def _form(racine: ConfigTable, edition: Edition) -> dict[str, Any]:
    table = racine.optional_table("formulaire")
    if table is None:
        return {}
    result: dict[str, Any] = {}
    separateur = table.raw_text("separateur_choix_multiples")
    if separateur is not None:
        result["separateur_choix_multiples"] = separateur
    champs = table.optional_table("champs")
    if champs is not None:
        result["champs"] = {}
        for nom in list(champs.data):
            try:
                champ = edition.field(nom)
            except KeyError:
                raise _unknown_field(champs, nom, nom, edition) from None
            sous = champs.table(nom)
            if "type" in sous.data:
                raise sous.error(
                    "type",
                    "le type d'un champ fait partie du contrat de l'entrepôt : il se change "
                    f"dans le fichier d'édition (config/editions/{edition.annee}.toml), pas "
                    "dans une correspondance.",
                )
            entry: dict[str, Any] = {}
            alias = sous.text_list("alias_ajoutes")
            for position, texte in enumerate(alias, start=1):
                autre = edition.match_header(texte)
                if autre is not None and autre.nom != nom:
                    raise sous.error(
                        f"alias_ajoutes[{position}]",
                        f"« {texte} » désigne déjà le champ « {autre.nom} » : pour donner "
                        f"cette colonne à « {nom} », écrivez-la dans [colonnes].",
                    )
            if alias:
                entry["alias_ajoutes"] = list(alias)
            if sous.has("obligatoire"):
                obligatoire = sous.boolean("obligatoire", champ.obligatoire)
                if not obligatoire and nom in ESSENTIAL_FIELDS:
                    raise sous.error(
                        "obligatoire",
                        f"« {nom} » ne peut pas devenir facultatif : une candidature est "
                        f"identifiée par {', '.join(ESSENTIAL_FIELDS)}.",
                    )
                entry["obligatoire"] = obligatoire
            sous.finish()
            result["champs"][nom] = entry
        champs.finish()
    table.finish()
    return result


def _vocabularies(
    racine: ConfigTable, edition: Edition
) -> tuple[dict[str, Any], dict[str, tuple[str, ...]]]:
    table = racine.optional_table("vocabulaires")
    if table is None:
        return {}, {}
    vocabulaires: dict[str, Any] = {}
    categories: dict[str, tuple[str, ...]] = {}
    known = [v.nom for v in edition.vocabulaires]
    for nom in list(table.data):
        if nom not in known:
            message = (
                f"vocabulaire inconnu « {nom} ».{_suggestion(nom, known)} "
                f"Vocabulaires de l'édition {edition.annee} : {', '.join(known)}."
            )
            raise MappingError(table.fichier, table.path_of(nom), message)
        vocabulaire = edition.vocabulary(nom)
        valeurs = table.table(nom)
        for code in list(valeurs.data):
            if code not in vocabulaire.codes:
                conseil = _suggestion(code, vocabulaire.codes)
                message = (
                    f"valeur inconnue « {code} » du vocabulaire « {nom} ».{conseil} "
                    f"Valeurs : {', '.join(vocabulaire.codes)}."
                )
                raise MappingError(valeurs.fichier, valeurs.path_of(code), message)
            valeur = valeurs.table(code)
            reponses = valeur.text_list("reponses_ajoutees")
            for position, texte in enumerate(reponses, start=1):
                autre = vocabulaire.code_for(texte)
                if autre is not None and autre != code:
                    raise valeur.error(
                        f"reponses_ajoutees[{position}]",
                        f"la réponse « {texte} » désigne déjà « {autre} » dans ce vocabulaire.",
                    )
            valeur.finish()
            if nom == CATEGORIES_VOCABULARY:
                categories[code] = reponses
            else:
                vocabulaires.setdefault(nom, {})[code] = {"reponses_ajoutees": list(reponses)}
        valeurs.finish()
    table.finish()
    return vocabulaires, categories


def apply_mapping(edition_file: Path, mapping: MappingFile) -> Edition:
    """The edition of ``edition_file`` completed by ``mapping`` (validated again)."""
    document = copy.deepcopy(edition_document(edition_file))
    extra: dict[str, Any] = {}
    if mapping.formulaire:
        extra["formulaire"] = mapping.formulaire
    if mapping.vocabulaires:
        extra["vocabulaires"] = mapping.vocabulaires
    document = deep_merge(document, extra)
    for categorie in document.get("categories", []):
        ajout = mapping.categories.get(categorie.get("code"), ())
        if ajout:
            categorie["reponses"] = [*categorie.get("reponses", []), *ajout]
    edition = build_edition(document, edition_file)
    return dataclasses.replace(edition, colonnes=mapping.colonnes)


def read_mapping_for(
    path: Path, editions: Mapping[int, Edition], annee: int | None = None
) -> tuple[Edition, MappingFile]:
    """A mapping file checked against edition ``annee``, else the one its
    ``[correspondance] edition`` names; the edition it completes is built too."""
    if annee is None:
        section = read_toml(path, MappingError).get("correspondance", {})
        value = section.get("edition") if isinstance(section, dict) else None
        if not isinstance(value, int):
            raise MappingError(
                path,
                "correspondance.edition",
                "pour quelle édition ? Précisez --edition AAAA ou écrivez "
                "« edition = AAAA » dans la section [correspondance].",
            )
        annee = value
    if annee not in editions:
        connues = ", ".join(str(a) for a in editions)
        raise MappingError(
            path, "correspondance.edition", f"édition {annee} inconnue (éditions : {connues})."
        )
    edition = editions[annee]
    mapping = read_mapping(path, edition)
    apply_mapping(edition.source_fichier, mapping)
    return edition, mapping


def load_edition_with_mapping(edition_file: Path, mapping: Path | None = None) -> Edition:
    """The edition of ``edition_file``, completed by a mapping file when one is given."""
    edition = load_edition(edition_file)
    if mapping is None:
        return edition
    return apply_mapping(edition_file, read_mapping(mapping, edition))


# --- Writing -------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One ``key = value`` line of a mapping file, with its comment."""

    cle: str
    valeur: Any
    commentaire: str = ""
    active: bool = True


def _comment(text: str) -> str:
    return " ".join(text.split())


def _line(line: Line) -> str:
    text = tomli_w.dumps({line.cle: line.valeur}).strip()
    if line.commentaire:
        text = f"{text}  # {_comment(line.commentaire)}"
    return text if line.active else f"# {text}"


def mapping_text(
    edition: int,
    fichier: str,
    entetes: str,
    colonnes: list[Line],
    tables: dict[str, list[Line]],
    en_tete: list[str],
) -> str:
    """The text of a mapping file: a header comment, ``[correspondance]``, ``[colonnes]``
    (one line per column, comment = why), then other tables (``[vocabulaires.x.y]``…);
    a table whose lines are all inactive is written commented out."""
    out = [f"# {_comment(t)}" if t else "#" for t in en_tete]
    out += ["", "[correspondance]"]
    out += [_line(Line("edition", edition)), _line(Line("fichier", fichier))]
    out += [_line(Line("entetes", entetes, "empreinte des questions de l'export"))]
    out += ["", "[colonnes]"]
    out += [_line(line) for line in colonnes]
    for name, lines in tables.items():
        active = any(line.active for line in lines)
        out += ["", f"[{name}]" if active else f"# [{name}]"]
        out += [_line(line) for line in lines]
    return "\n".join(out) + "\n"


def table_name(*parts: str) -> str:
    """A TOML table name with each part quoted when it needs to be."""
    quoted = []
    for part in parts:
        key = tomli_w.dumps({part: 0}).split("=")[0].strip()
        quoted.append(key)
    return ".".join(quoted)
