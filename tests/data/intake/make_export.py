"""Build the reworded 2023-style export read by the intake tests (CSV and XLSX of one form).

Run from the repository root when the sample must change, then commit the outputs:

    uv run python tests/data/intake/make_export.py

What an organiser really receives, and unlike the demo: the questions are reworded (none
but « Horodateur » and « Adresse e-mail » is written as in config/editions/2023.toml),
the columns are in another order, two columns are not form fields, the optional questions
SIRET, EPCI, hours by sector, training… were not asked, hours have decimals
(« 28 038,4 »), « Autre : GIP » answers, communes typed with their postcode
(« 97400 Saint-Denis »), empty descriptions and empty figures. Structures, people and
figures are invented.

The XLSX holds the same answers as Google Sheets would: timestamps as dates, figures as
numbers, empty answers as empty cells.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

ICI = Path(__file__).resolve().parent
FIGE = datetime(2024, 1, 1)  # workbook metadata dates: regenerating changes nothing visible

ENTETES = [
    "Horodateur",
    "Adresse e-mail",
    "Titre de votre projet",
    "Nom de votre structure",
    "Quel est le statut de votre structure ?",
    "Catégorie(s) de trophée pour laquelle ou lesquelles vous candidatez",
    "Commune du territoire concerné (code postal et ville)",
    "Département du territoire (numéro)",
    "Êtes-vous adhérent à Alliance Villes Emploi ?",
    "Si vous n'êtes pas adhérent, êtes-vous reconnu par une coordination régionale ?",
    "Votre structure assure-t-elle la compétence de guichet territorial des clauses sociales ?",
    "Prénom et nom de la personne référente",
    "Fonction de la personne référente",
    "E-mail de la personne référente",
    "Téléphone de la personne référente",
    "Présentez votre projet : objectifs, actions menées, partenaires",
    "Où en est votre projet ?",
    "Nombre total d'heures d'insertion réalisées sur la période",
    "Nombre d'heures d'insertion prévues au contrat",
    "Combien de marchés comportaient une clause sociale ?",
    "Nombre de donneurs d'ordre publics mobilisés",
    "Nombre de SIAE et autres structures inclusives partenaires",
    "Nombre de personnes en insertion ayant travaillé grâce aux clauses",
    "dont femmes (nombre)",
    "dont personnes de 50 ans et plus",
    "dont habitants des quartiers prioritaires (QPV)",
    "dont jeunes de moins de 26 ans",
    "Sorties en emploi durable (nombre de personnes)",
    "Acceptez-vous que les informations non personnelles de votre candidature soient diffusées ?",
    "Comment avez-vous connu les Trophées ?",
    "Commentaire interne AVE",
]

COMM = "1. Communication et rayonnement des dispositifs « Clauses sociales »"
SIAE = "2. Promotion des structures inclusives dans le cadre de la commande publique"
PRIVE = "3. Donneurs d'ordre privés et Politique d'achats socialement responsables"
MIXITE = "4. Clauses sociales et mixité des publics (QPV, senior, femmes)"
FORMATION = "5. Emploi, formation et compétences"
ENV = "6. Clauses sociales et environnementales"
RURAL = "7. Clause Sociale en milieu rural"
PI = "8. Clauses sociales et prestations intellectuelles"

# (timestamp, e-mail, title, structure, type, categories, commune, département, adhérent,
#  reconnu, guichet, referent, function, referent e-mail, phone, description, status,
#  hours, planned hours, contracts, public buyers, inclusive structures, participants,
#  women, 50+, QPV, under 26, lasting jobs, publication, how known, internal comment)
REPONSES: list[tuple[str, ...]] = [
    ("16/10/2023 14:03:27", "plie.orne-sud@exemple.org", "Les clauses au féminin",
     "PLIE Orne-Sud", "PLIE", MIXITE, "61100 Flers", "61", "Oui", "", "Oui",
     "Nadia Ferreira", "Chargée de mission clauses", "n.ferreira@exemple.org",
     "02 33 00 41 17", "Ateliers de découverte des métiers du bâtiment pour les femmes, "
     "avec deux chantiers écoles et le bailleur Orne Habitat.", "Finalisé", "28 038,4",
     "25 000", "41", "12", "6", "73", "19", "11", "22", "18", "31", "Oui",
     "Réseau Alliance Villes Emploi", ""),
    ("17/10/2023 09:41:02", "mde.cantal@exemple.org", "Guichet clauses des plateaux",
     "Maison de l'Emploi du Haut-Cantal", "Maison de l'emploi", f"{RURAL}, {COMM}",
     "15100 Saint-Flour", "15", "Oui", "", "Oui", "Julien Roussel", "Facilitateur",
     "j.roussel@exemple.org", "04 71 00 23 90", "Création d'un guichet partagé entre trois "
     "communautés de communes ; 18 marchés clausés la première année.",
     "En cours de finalisation", "3 448,7", "4 000", "18", "9", "3", "14", "3", "5", "",
     "6", "7", "Oui", "Courriel de la coordination régionale", ""),
    ("18/10/2023 11:15:49", "clauses@sud-reunion.exemple.org", "Nout kartié i travay",
     "GIP Insertion Sud Réunion", "Autre : GIP", f"{MIXITE}, {FORMATION}",
     "97410 Saint-Pierre", "974", "Non", "Oui", "Oui", "Marie-Josée Payet",
     "Directrice", "mj.payet@exemple.org", "0262 00 11 22", "Renouvellement urbain du "
     "quartier Ravine Blanche : 57 205 heures pour 126 habitants.", "Finalisé", "57 205",
     "74 615", "23", "7", "11", "126", "38", "9", "71", "54", "44", "Oui",
     "Site internet d'AVE", "appel le 20/10"),
    ("19/10/2023 16:22:10", "direction@mde-nord-reunion.exemple.org",
     "Clauses sociales du tram", "Maison de l'Emploi du Nord de La Réunion",
     "Maison de l'emploi", ENV, "97400 Saint-Denis", "974", "Oui", "", "Oui",
     "Patrick Hoarau", "Responsable du service clauses", "p.hoarau@exemple.org",
     "0262 00 33 44", "", "Finalisé", "143 310", "120 000", "64", "15", "9", "231", "22",
     "48", "101", "66", "89", "Oui", "Réseau Alliance Villes Emploi", ""),
    ("20/10/2023 10:05:33", "plie.seine-ouest@exemple.org", "Clause et ESAT",
     "PLIE Seine-Ouest", "PLIE", SIAE, "Saint-Denis (93)", "93", "Oui", "", "Oui",
     "Sophie Lemaire", "Coordinatrice", "s.lemaire@exemple.org", "01 49 00 55 66",
     "Marchés réservés aux ESAT pour l'entretien des espaces verts de six communes.",
     "Finalisé", "12 480,5", "", "9", "6", "14", "38", "9", "6", "15", "8", "12", "Non",
     "", ""),
    ("23/10/2023 08:59:12", "service.clauses@etat.exemple.gouv.fr",
     "Achats de l'État exemplaires", "Mission achats de la préfecture de Bretagne",
     "Autre : service de l'État", f"{PI}, {COMM}", "35000 Rennes", "35", "Non", "Oui",
     "Oui", "Yann Le Gall", "Acheteur public", "y.legall@exemple.gouv.fr",
     "02 99 00 77 88", "Clauses d'insertion dans les marchés d'études et d'informatique "
     "des services de l'État.", "En cours de finalisation", "2 315,25", "3 000", "7", "1",
     "2", "9", "4", "2", "3", "2", "3", "Oui", "Newsletter", ""),
    ("25/10/2023 13:47:05", "asso.passerelles@exemple.org", "Passerelles vers l'emploi",
     "Association Passerelles Creuse", "Association", RURAL, "23000 Guéret", "23", "Non",
     "Oui", "Oui", "Claire Dumas", "Animatrice", "c.dumas@exemple.org", "05 55 00 12 12",
     "Accompagnement des petites entreprises du BTP aux clauses dans un département peu "
     "dense.", "Finalisé", "6 120", "6 000", "11", "8", "4", "17", "2", "6", "", "5", "6",
     "Oui", "Bouche à oreille", ""),
    ("27/10/2023 15:30:00", "clauses@agglo-lozere.exemple.org", "Chantiers clausés en Lozère",
     "Communauté de communes Cœur de Lozère", "Collectivité territoriale", RURAL,
     "48000 Mende", "48", "Oui", "", "Oui", "Thomas Vidal", "Chargé de développement",
     "t.vidal@exemple.org", "04 66 00 45 45", "", "Finalisé", "", "", "", "", "", "", "",
     "", "", "", "", "Oui", "Réseau Alliance Villes Emploi", "chiffres à demander"),
    ("02/11/2023 09:12:44", "mde.lille@exemple.org", "Les clauses dans le privé",
     "Maison de l'Emploi Lille Métropole", "Maison de l'emploi", PRIVE, "59000 Lille", "59",
     "Oui", "", "Oui", "Karima Benali", "Directrice adjointe", "k.benali@exemple.org",
     "03 20 00 98 76", "Charte avec huit promoteurs privés : clauses dans 22 opérations de "
     "logement.", "Finalisé", "61 200", "55 000", "22", "4", "12", "140", "21", "30", "52",
     "41", "58", "Oui", "Site internet d'AVE", ""),
    ("06/11/2023 17:03:51", "plie.littoral@exemple.org", "Former en chantier",
     "PLIE du Littoral Audois", "PLIE", FORMATION, "Narbonne", "11", "Oui", "", "Oui",
     "Laurent Pujol", "Facilitateur", "l.pujol@exemple.org", "04 68 00 10 20",
     "Obligation de 70 heures de formation par salarié en insertion sur le chantier du "
     "port.", "Finalisé", "19 870", "18 000", "15", "5", "5", "52", "6", "9", "14", "21",
     "24", "Oui", "Réseau Alliance Villes Emploi", ""),
    ("08/11/2023 10:26:18", "guichet@pays-vitre.exemple.org",
     "Clauses vertes et sociales", "Pays de Vitré Emploi", "Association", ENV,
     "35500 Vitré", "35", "Oui", "", "Oui", "Gaëlle Morvan", "Chargée de projet",
     "g.morvan@exemple.org", "02 99 00 31 31", "Tri des déchets de chantier confié à une "
     "entreprise d'insertion, avec le guichet vert du territoire.",
     "En cours de finalisation", "8 904", "9 500", "12", "6", "3", "26", "5", "4", "7",
     "9", "10", "Oui", "Newsletter", ""),
    ("09/11/2023 14:44:40", "mde.marseille@exemple.org", "Mixité dans les quartiers nord",
     "Maison de l'Emploi de Marseille Nord", "Maison de l'emploi", f"{MIXITE}, {SIAE}",
     "13015 Marseille", "13", "Oui", "", "Oui", "Samir Haddad", "Chef de projet",
     "s.haddad@exemple.org", "04 91 00 62 62", "Accès des habitantes des quartiers nord "
     "aux métiers de la propreté urbaine.", "Finalisé", "97 450,5", "90 000", "37", "18",
     "16", "204", "61", "27", "149", "70", "83", "Oui", "Réseau Alliance Villes Emploi",
     ""),
    ("14/11/2023 11:08:09", "clauses@ville-aurillac.exemple.org", "Clauses et culture",
     "Ville d'Aurillac", "Collectivité territoriale", COMM, "15000 Aurillac", "15", "Non",
     "Oui", "Oui", "Hélène Bouquet", "Responsable de la commande publique",
     "h.bouquet@exemple.org", "04 71 00 88 00", "Une exposition itinérante sur les "
     "parcours de salariés en insertion, présentée dans 12 communes.", "Finalisé", "4 560",
     "", "6", "3", "2", "11", "3", "2", "", "4", "5", "Non", "Courriel de la coordination "
     "régionale", ""),
    ("16/11/2023 09:55:31", "plie.orne-sud@exemple.org", "Les clauses au féminin",
     "PLIE Orne-Sud", "PLIE", MIXITE, "61100 Flers", "61", "Oui", "", "Oui",
     "Nadia Ferreira", "Chargée de mission clauses", "n.ferreira@exemple.org",
     "02 33 00 41 17", "Ateliers de découverte des métiers du bâtiment pour les femmes, "
     "avec deux chantiers écoles et le bailleur Orne Habitat. Chiffres actualisés au "
     "31 octobre.", "Finalisé", "29 112,6", "25 000", "43", "12", "6", "76", "21", "11",
     "23", "19", "33", "Oui", "Réseau Alliance Villes Emploi", "nouvelle version"),
    ("17/11/2023 16:40:12", "plie.strasbourg@exemple.org", "Clauses et jeunes diplômés",
     "PLIE de l'Eurométropole", "PLIE", f"{FORMATION}, {PI}", "67000 Strasbourg", "67",
     "Oui", "", "Oui", "Pierre Schmitt", "Chargé de mission", "p.schmitt@exemple.org",
     "03 88 00 14 14", "Clauses dans les marchés de maîtrise d'œuvre pour de jeunes "
     "diplômés des quartiers prioritaires.", "Finalisé", "5 780", "6 500", "14", "4", "2",
     "21", "7", "1", "12", "19", "9", "Oui", "Site internet d'AVE", ""),
    ("20/11/2023 12:17:58", "emploi@ccvallees.exemple.org", "Un guichet pour trois vallées",
     "Communauté de communes des Trois Vallées", "Collectivité territoriale", RURAL,
     "Saint-Girons", "09", "Non", "Non", "Oui", "Émilie Garcia", "Chargée de mission",
     "e.garcia@exemple.org", "05 61 00 27 27", "", "En cours de finalisation", "1 980",
     "2 500", "5", "4", "1", "8", "1", "3", "", "2", "3", "Oui", "Bouche à oreille", ""),
    ("21/11/2023 18:02:35", "mde.bordeaux@exemple.org", "Clauses sociales du stade",
     "Maison de l'Emploi de Bordeaux", "Maison de l'emploi", f"{SIAE}, {ENV}",
     "33000 Bordeaux", "33", "Oui", "", "Oui", "Antoine Lafargue", "Directeur",
     "a.lafargue@exemple.org", "05 56 00 50 50", "Rénovation du stade : lots réservés aux "
     "structures d'insertion et réemploi des matériaux.", "Finalisé", "38 240,8", "35 000",
     "19", "6", "9", "88", "12", "17", "30", "26", "37", "Oui",
     "Réseau Alliance Villes Emploi", ""),
    ("21/11/2023 21:47:03", "clauses@ville-tulle.exemple.org", "Clauses en Corrèze",
     "Ville de Tulle", "Collectivité territoriale", f"{RURAL}, {SIAE}", "19000 Tulle", "19",
     "Oui", "", "Oui", "Jean-Marc Delpech", "Acheteur", "jm.delpech@exemple.org",
     "05 55 00 80 80", "Trois marchés de voirie clausés et un marché réservé aux SIAE.",
     "Finalisé", "2 730", "3 000", "4", "2", "3", "9", "1", "4", "", "3", "4", "Oui",
     "Newsletter", ""),
    ("22/11/2023 08:30:41", "plie.tardif@exemple.org", "Clauses en retard",
     "PLIE du Val de Loire", "PLIE", COMM, "45000 Orléans", "45", "Oui", "", "Oui",
     "Lucie Martin", "Chargée de communication", "l.martin@exemple.org", "02 38 00 90 90",
     "Une campagne d'affichage sur les clauses dans les bus de la métropole.", "Finalisé",
     "14 020", "15 000", "20", "8", "6", "47", "11", "8", "16", "12", "17", "Oui",
     "Réseau Alliance Villes Emploi", "reçu après la clôture"),
]  # fmt: skip

NOMBRES = {
    "Nombre total d'heures d'insertion réalisées sur la période",
    "Nombre d'heures d'insertion prévues au contrat",
    "Combien de marchés comportaient une clause sociale ?",
    "Nombre de donneurs d'ordre publics mobilisés",
    "Nombre de SIAE et autres structures inclusives partenaires",
    "Nombre de personnes en insertion ayant travaillé grâce aux clauses",
    "dont femmes (nombre)",
    "dont personnes de 50 ans et plus",
    "dont habitants des quartiers prioritaires (QPV)",
    "dont jeunes de moins de 26 ans",
    "Sorties en emploi durable (nombre de personnes)",
}


def write_csv(path: Path) -> None:
    """The CSV Google Forms gives: UTF-8, ``,``, quoted where needed, CRLF."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(ENTETES)
        writer.writerows(REPONSES)


def _cell(entete: str, texte: str) -> object:
    """The cell Google Sheets holds for an answer: a date, a number or text."""
    if texte == "":
        return None
    if entete == "Horodateur":
        return datetime.strptime(texte, "%d/%m/%Y %H:%M:%S")
    if entete in NOMBRES:
        nombre = float(texte.replace(" ", "").replace(",", "."))
        return int(nombre) if nombre.is_integer() else nombre
    return texte


def write_xlsx(path: Path) -> None:
    """The same answers downloaded from Google Sheets as an Excel workbook."""
    classeur = Workbook()
    feuille = classeur.active
    assert feuille is not None
    feuille.title = "Réponses au formulaire 1"
    feuille.append(ENTETES)
    for reponse in REPONSES:
        feuille.append([_cell(e, t) for e, t in zip(ENTETES, reponse, strict=True)])
    for ligne in feuille.iter_rows(min_row=2, max_col=1):
        ligne[0].number_format = "dd/mm/yyyy hh:mm:ss"
    classeur.properties.created = FIGE
    classeur.properties.modified = FIGE
    classeur.save(path)


if __name__ == "__main__":
    write_csv(ICI / "reponses-2023-reformule.csv")
    write_xlsx(ICI / "reponses-2023-reformule.xlsx")
