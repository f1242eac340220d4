"""Every page of the app, its section and the roles allowed to open it.

``streamlit_app.py`` builds the navigation from this table for the signed-in role; a page
missing here is unreachable. Roles: ``admin``, ``jury``, ``communication``, ``analyste``.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES: tuple[str, ...] = ("admin", "jury", "communication", "analyste")
TOUS = frozenset(ROLES)


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to dashboard/
    title: str
    icon: str
    section: str
    roles: frozenset[str]
    needs_data: bool = True  # hidden while no warehouse is loaded
    shared_filters: bool = True
    """Whether the sidebar's shared filters apply (jury pages have their own edition
    control: one edition control per page)."""


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "app_pages/vue_ensemble.py", "Vue d'ensemble", ":material/dashboard:", "Candidatures", TOUS
    ),
    PageSpec("app_pages/carte.py", "Carte", ":material/map:", "Candidatures", TOUS),
    PageSpec(
        "app_pages/comparer.py",
        "Comparer",
        ":material/compare_arrows:",
        "Candidatures",
        frozenset({"admin", "jury", "analyste"}),
    ),
    PageSpec(
        "app_pages/fiche.py", "Fiche candidature", ":material/description:", "Candidatures", TOUS
    ),
    PageSpec(
        "app_pages/qualite.py",
        "Qualité des données",
        ":material/rule:",
        "Candidatures",
        frozenset({"admin", "analyste"}),
    ),
    PageSpec(
        "app_pages/corrections.py",
        "Corrections",
        ":material/edit_note:",
        "Candidatures",
        frozenset({"admin"}),
        shared_filters=False,
    ),
    PageSpec(
        "app_pages/communication.py",
        "Communication",
        ":material/campaign:",
        "Communication",
        frozenset({"admin", "communication"}),
    ),
    PageSpec(
        "app_pages/jury_notation.py",
        "Mes notations",
        ":material/rate_review:",
        "Jury",
        frozenset({"jury"}),
        shared_filters=False,
    ),
    PageSpec(
        "app_pages/jury_seance.py",
        "Séance du jury",
        ":material/gavel:",
        "Jury",
        frozenset({"admin", "jury"}),
        shared_filters=False,
    ),
    PageSpec(
        "app_pages/jury_resultats.py",
        "Résultats du jury",
        ":material/leaderboard:",
        "Jury",
        frozenset({"admin", "jury"}),
        shared_filters=False,
    ),
    PageSpec(
        "app_pages/jury_admin.py",
        "Administration du jury",
        ":material/admin_panel_settings:",
        "Jury",
        frozenset({"admin"}),
        shared_filters=False,
    ),
    PageSpec(
        "app_pages/lettres.py",
        "Lettres aux candidats",
        ":material/mail:",
        "Jury",
        frozenset({"admin"}),
    ),
    PageSpec(
        "app_pages/accueil.py",
        "Éditions",
        ":material/event:",
        "Référentiels",
        TOUS,
        needs_data=False,
    ),
    PageSpec(
        "app_pages/sources.py",
        "Sources et millésimes",
        ":material/menu_book:",
        "Référentiels",
        TOUS,
        needs_data=False,
    ),
    # last: with no warehouse yet the first page stays « Éditions », and with one it
    # closes the « Candidatures » section, after « Qualité des données »
    PageSpec(
        "app_pages/charger.py",
        "Charger un export",
        ":material/upload_file:",
        "Candidatures",
        frozenset({"admin"}),
        needs_data=False,
    ),
)


TITLES_BY_URL: dict[str, str] = {
    page.path.rsplit("/", 1)[-1].removesuffix(".py"): page.title for page in PAGES
}
"""Title of every page by its URL segment (the file name: ``qualite`` → « Qualité des
données »), to name a page the signed-in role may not open."""


def pages_for(role: str, *, has_data: bool) -> dict[str, list[PageSpec]]:
    """Pages of ``role`` grouped by section, in table order."""
    sections: dict[str, list[PageSpec]] = {}
    for page in PAGES:
        if role in page.roles and (has_data or not page.needs_data):
            sections.setdefault(page.section, []).append(page)
    return sections
