"""The words of fictitious candidatures: people, structures, projects, sentences.

Every template may use these placeholders, filled per candidature by
``etl.demo.text``: ``{ville}``, ``{de_ville}`` (« de Brest », « du Havre »),
``{structure}``, ``{quartier}``, ``{equipement}``, ``{annee}``, ``{heures}``,
``{participants}``, ``{marches}``.

Names are common French first names and surnames, drawn at random: they designate no one.
Structure names are built from the place (« PLIE du Pays de … »), never copied from a real
organisation. Neighbourhoods and facilities are generic. Every character is encodable in
Windows-1252 (the dirty export is written in it): no narrow no-break space, no ``≈``.
"""

# ruff: noqa: E501  (sentences are data: one per line reads better than wrapped strings)
from __future__ import annotations

PRENOMS_FEMMES = (
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sandrine", "Céline", "Aurélie",
    "Émilie", "Julie", "Camille", "Laura", "Sarah", "Inès", "Fatima", "Nadia", "Sophie",
    "Claire", "Hélène", "Anne-Laure", "Chloé", "Manon", "Léa", "Élodie", "Karine", "Virginie",
    "Stéphanie", "Amandine", "Océane", "Maëlle", "Yasmina", "Aïcha", "Josiane", "Noémie",
)  # fmt: skip
PRENOMS_HOMMES = (
    "Thomas", "Nicolas", "Julien", "Sébastien", "Mathieu", "Karim", "Olivier", "Laurent",
    "David", "Jérôme", "François", "Stéphane", "Yannick", "Mehdi", "Hugo", "Lucas", "Antoine",
    "Benoît", "Cédric", "Grégory", "Jean-Marc", "Pierre-Yves", "Loïc", "Gaël", "Rachid",
)  # fmt: skip
NOMS = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc",
    "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
    "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "N'Diaye",
    "Benali", "Nguyen", "Le Goff", "Hoarau", "Payet", "Diallo", "Da Silva", "Le Gall",
    "Bouchard", "Kergoat", "Lemaître", "Besnard", "D'Almeida", "Traoré", "Haddad",
)  # fmt: skip

FONCTIONS = (
    "Chargée de mission clauses sociales", "Chargé de mission clauses sociales",
    "Facilitatrice clauses sociales", "Facilitateur clauses sociales",
    "Directrice du PLIE", "Directeur de la Maison de l'emploi",
    "Responsable du guichet clause sociale", "Coordinatrice achats responsables",
    "Responsable du pôle entreprises", "Chargée de développement économique",
    "Cheffe de projet insertion", "Directrice générale adjointe",
)  # fmt: skip

STRUCTURES: dict[str, tuple[str, ...]] = {
    "plie": (
        "PLIE du Pays {de_ville}",
        "PLIE {de_ville}",
        "PLIE de l'agglomération {de_ville}",
        "PLIE {ville} Métropole",
        "PLIE intercommunal {de_ville}",
    ),
    "mde": (
        "Maison de l'Emploi {de_ville}",
        "Maison de l'Emploi et de la Formation {de_ville}",
        "Maison de l'Emploi du Pays {de_ville}",
        "Maison de l'Emploi {de_ville} et environs",
    ),
    "collectivite": (
        "Ville {de_ville}",
        "Communauté d'agglomération {de_ville}",
        "Communauté de communes {de_ville} et environs",
        "Mairie {de_ville}",
        "Communauté de communes du Pays {de_ville}",
    ),
    "association": (
        "Association Tremplin {ville}",
        "Association Passerelles pour l'emploi {de_ville}",
        "Ensemble pour l'insertion {de_ville}",
        "Réseau Clauses & Insertion {de_ville}",
    ),
    "autre": (
        "GIP Insertion et Emploi {de_ville}",
        "Groupement d'intérêt public Emploi {de_ville}",
        "Agence territoriale de l'emploi {de_ville}",
    ),
}
"""Templates of structure names, by ``structure_type`` code."""

QUARTIERS = (
    "des Tilleuls", "de la Source", "du Val Fleuri", "des Hauts-Vents", "des Peupliers",
    "de la Roseraie", "du Moulin-Neuf", "des Bruyères", "de la Croix-Blanche", "des Érables",
    "du Clos Saint-Jean", "des Genêts", "de la Pépinière", "du Plateau", "des Acacias",
)  # fmt: skip
EQUIPEMENTS = (
    "nouveau groupe scolaire", "centre aquatique intercommunal", "pôle d'échanges multimodal",
    "collège", "médiathèque", "gymnase", "centre hospitalier", "siège de la communauté",
    "foyer-logement", "marché couvert", "ligne de tramway", "lycée professionnel",
)  # fmt: skip

TITRES: dict[str, tuple[str, ...]] = {
    "COMM": (
        "« Les clauses, ça marche ! » : campagne de promotion {de_ville}",
        "Petits-déjeuners des acheteurs responsables {de_ville}",
        "Podcast « Paroles de clausés » : l'insertion racontée par celles et ceux qui la vivent",
        "Guide pratique de l'achat socialement responsable, édition {annee}",
        "Rencontres annuelles de la clause sociale {de_ville}",
    ),
    "SIAE": (
        "Marchés réservés aux SIAE pour l'entretien des espaces verts",
        "Sourcing inclusif : le « speed-meeting » acheteurs – structures inclusives",
        "Groupement d'entreprises inclusives pour la propreté des bâtiments publics",
        "Allotissement et marchés réservés : un plan d'action avec les SIAE {de_ville}",
    ),
    "PRIVE": (
        "Clauses d'insertion dans les chantiers privés du quartier {quartier}",
        "Charte « Promoteurs engagés » {de_ville}",
        "Logistique, commerce, industrie : des donneurs d'ordre privés s'engagent",
        "Bailleurs et promoteurs privés : 100 % des opérations avec une clause d'insertion",
    ),
    "MIXITE": (
        "Femmes et BTP : une promotion 100 % féminine sur le chantier du {equipement}",
        "Seniors, habitants des QPV, femmes : diversifier les publics des clauses",
        "« Elles bâtissent » : des femmes aux métiers du second œuvre",
        "Job dating « mixité » pour le chantier du {equipement}",
    ),
    "FORMATION": (
        "Chantier-école « Éco-rénovation » {de_ville}",
        "Parcours qualifiant de coffreurs-bancheurs en clause sociale",
        "Marchés avec obligation de formation : des CQP au bout du chantier",
        "Clause sociale et alternance sur le chantier du {equipement}",
    ),
    "ENV": (
        "Réemploi des matériaux et insertion sur le chantier du {equipement}",
        "Clauses sociales et environnementales dans la collecte des déchets",
        "Guichet vert – guichet clause : un partenariat inédit {de_ville}",
        "Rénovation énergétique et insertion : le double bénéfice",
    ),
    "RURAL": (
        "Création d'un guichet clause sociale en territoire rural",
        "Les clauses sociales au service des communes rurales {de_ville}",
        "Mutualiser les clauses entre petites communes du Pays {de_ville}",
        "Un facilitateur itinérant pour les marchés des petites communes",
    ),
    "PI": (
        "Clauses sociales dans les marchés de maîtrise d'œuvre",
        "Études, numérique, ingénierie : l'insertion dans les prestations intellectuelles",
        "Une clause sociale dans un marché de développement informatique",
        "Architectes et bureaux d'études s'ouvrent à l'insertion",
    ),
    "ANRU": (
        "Renouvellement urbain du quartier {quartier} : l'insertion au cœur du NPNRU",
        "NPNRU {de_ville} : {heures} heures d'insertion pour les habitants",
    ),
    "": (
        "Déploiement de la clause sociale {de_ville}",
        "Achat socialement responsable : une dynamique de territoire",
    ),
}
"""Project titles by category code (« ANRU »: urban renewal; « »: any other category)."""

INTRODUCTIONS = (
    "{structure} porte le guichet territorial de la clause sociale {de_ville} depuis plusieurs années.",
    "Depuis {annee}, {structure} accompagne les acheteurs publics et privés du territoire dans l'intégration de clauses sociales.",
    "Le projet est né d'un constat partagé avec les élus : les marchés du territoire profitaient trop peu aux demandeurs d'emploi locaux.",
    "Porté par {structure}, le projet associe les donneurs d'ordre, les entreprises attributaires et les structures inclusives.",
    "Notre guichet « clause sociale » couvre l'ensemble du bassin d'emploi {de_ville}.",
)  # fmt: skip

PHRASES_CATEGORIE: dict[str, tuple[str, ...]] = {
    "COMM": (
        "Une campagne d'affichage, une vidéo et une lettre d'information trimestrielle ont fait connaître le dispositif.",
        "Nous avons organisé des petits-déjeuners thématiques réunissant acheteurs, entreprises et élus.",
        "Les témoignages de participants, filmés sur les chantiers, ont été vus plus de 8 000 fois.",
        "Un kit de communication « clé en main » a été remis à chaque commune adhérente.",
    ),
    "SIAE": (
        "Les structures inclusives ont été associées dès la phase de sourcing, avant la rédaction des cahiers des charges.",
        "Plusieurs lots ont été réservés aux SIAE et aux entreprises adaptées (article L2113-13 du code de la commande publique).",
        "Un groupement momentané associant trois SIAE a remporté le marché de propreté urbaine.",
        "Le chiffre d'affaires des structures inclusives réalisé sur ces marchés a doublé en deux ans.",
    ),
    "PRIVE": (
        "Des promoteurs, des bailleurs et des industriels ont signé une charte d'engagement avec le guichet.",
        "Les clauses ont été intégrées aux contrats de travaux privés sur une base volontaire.",
        "Une enseigne de la grande distribution a inscrit une clause d'insertion dans le chantier de son entrepôt.",
        "Le guichet assure le suivi des heures pour le compte des donneurs d'ordre privés, comme pour les acheteurs publics.",
    ),
    "MIXITE": (
        "Des réunions d'information ont été organisées avec les associations de quartier et les centres sociaux.",
        "Une action de découverte des métiers du bâtiment a été réservée aux femmes, avec une garde d'enfants prise en charge.",
        "Les seniors ont bénéficié d'un accompagnement renforcé et d'un tutorat sur chantier.",
        "Les marchés de services (nettoyage, restauration, accueil) ont permis de diversifier les profils recrutés.",
    ),
    "FORMATION": (
        "Les marchés comportent une obligation de formation : chaque entreprise attributaire forme au moins un participant.",
        "Un chantier-école a été monté avec l'organisme de formation et les entreprises du BTP.",
        "Plusieurs participants ont obtenu un titre professionnel ou un CQP à l'issue de leur parcours.",
        "Les freins périphériques (mobilité, garde d'enfants, permis) ont été levés avec les partenaires de l'emploi.",
    ),
    "ENV": (
        "Les objectifs d'insertion ont été corrélés aux objectifs de réemploi et de tri des déchets de chantier.",
        "Le guichet vert et le guichet clause sociale instruisent désormais ensemble les dossiers de consultation.",
        "Les participants ont été formés aux gestes de la rénovation énergétique et du réemploi des matériaux.",
        "Une clause environnementale impose un taux de valorisation des déchets de 70 %.",
    ),
    "RURAL": (
        "Aucun guichet n'existait sur ce territoire rural avant le projet.",
        "Un facilitateur partagé se déplace dans les mairies pour accompagner les secrétaires de mairie.",
        "Les petites communes ont mutualisé leurs marchés pour atteindre un volume suffisant d'heures.",
        "Les entreprises artisanales locales ont été accompagnées pour accueillir leur premier salarié en insertion.",
    ),
    "PI": (
        "La clause a été adaptée aux prestations intellectuelles : stages, alternance et emplois d'assistants d'études.",
        "Les bureaux d'études ont d'abord douté, puis recruté des profils qu'ils n'auraient pas rencontrés autrement.",
        "Un marché de maîtrise d'œuvre a intégré une clause sociale pour la première fois dans le département.",
        "Des développeurs formés en reconversion ont rejoint l'équipe du prestataire informatique.",
    ),
}
"""Sentences describing what a project did, by category code."""

PHRASES_GENERIQUES = (
    "Le suivi des heures est assuré chaque mois avec les entreprises.",
    "Les participants sont orientés par France Travail, les missions locales, les PLIE et les SIAE du territoire.",
    "Un comité de pilotage réunit deux fois par an les donneurs d'ordre et les partenaires de l'emploi.",
    "Les entreprises saluent « la simplicité » de l'accompagnement, selon l'enquête menée en fin d'année.",
    "Le dispositif s'appuie sur l'outil de suivi partagé par le réseau, ce qui facilite les bilans.",
    "La démarche a été présentée au conseil communautaire, qui l'a inscrite dans son schéma de promotion des achats responsables.",
    'Le slogan retenu par le comité, "un marché, un emploi", résume l\'esprit du projet.',
    "Les élus se sont engagés à ce qu'aucun marché de travaux de plus de 500 000 € ne soit passé sans clause.",
)  # fmt: skip

RESULTATS = (
    "Au total, {heures} heures d'insertion ont été réalisées par {participants} personnes.",
    "Bilan : {heures} heures, {participants} participants et {marches} marchés clausés.",
    "Les clauses ont généré {heures} heures de travail pour {participants} personnes éloignées de l'emploi.",
    "Résultat : {marches} marchés comportant une clause sociale et {heures} heures réalisées.",
)  # fmt: skip

MISE_A_JOUR = "(Version corrigée : chiffres consolidés avec les entreprises.)"
"""Sentence appended to a re-submitted candidature's description."""

LIENS = (
    "https://www.exemple.fr/clauses-sociales/{slug}",
    "https://example.org/insertion/{slug}/bilan-{annee}",
    "https://www.exemple.fr/{slug}/video-temoignages",
)
"""Document links: only the reserved fictitious domains exemple.fr and example.org."""

DOMAINES_EMAIL = ("exemple.fr", "example.org")
"""The only e-mail domains the generator writes (reserved, fictitious)."""

TELEPHONES_FICTIFS = {
    "01": "01 99 00",
    "02": "02 61 91",
    "03": "03 53 01",
    "04": "04 65 71",
    "05": "05 36 49",
    "09": "09 99 00",
    "06": "06 39 98",
}
"""ARCEP ranges reserved for fiction (« 01 99 00 xx xx »…), by leading pair."""

INDICATIF_PAR_REGION = {
    "11": "01",
    "24": "02", "28": "02", "52": "02", "53": "02",
    "27": "03", "32": "03", "44": "03",
    "84": "04", "93": "04", "94": "04",
    "75": "05", "76": "05",
}  # fmt: skip
"""Leading pair of a landline by région code (DROM and others: 09)."""
