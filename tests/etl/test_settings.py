"""Settings files: a typo or a wrong type is refused in French, naming file, section, key."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.accounts import account_settings
from dashboard.jury.rules import load_rules
from etl import settings
from etl.semantic.national import national_figures
from etl.warehouse.purge import retention_months

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_committed_settings_are_valid() -> None:
    app = settings.app_settings(ROOT / "config" / "app.toml")
    assert app.conservation.contacts_mois == 6 and app.connexion.echecs_avant_blocage == 5
    assert settings.jury_settings(ROOT / "config" / "jury.toml").resultats.preselection == 3
    assert len(national_figures(ROOT / "config" / "references_nationales.toml")) >= 3


def test_absent_files_give_the_documented_defaults(tmp_path: Path) -> None:
    assert settings.app_settings(tmp_path / "absent.toml") == settings.AppSettings()
    assert load_rules(tmp_path / "absent.toml").preselection == 3
    with pytest.raises(settings.ConfigError, match="introuvable"):
        national_figures(tmp_path / "absent.toml")


def test_a_misspelt_key_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "app.toml", "[conservation]\ncontact_mois = 3\n")
    with pytest.raises(settings.ConfigError) as err:
        retention_months(path)
    message = str(err.value)
    assert str(path) in message
    assert "[conservation] contact_mois : clé inconnue" in message
    assert "vouliez-vous dire « contacts_mois »" in message


def test_an_unknown_section_and_a_wrong_type_are_both_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "app.toml",
        '[sessions]\nduree_max_heures = 8\n[connexion]\nblocage_minutes = "15"\n',
    )
    with pytest.raises(settings.ConfigError) as err:
        account_settings(path)
    message = str(err.value)
    assert "sessions : clé inconnue (vouliez-vous dire « session » ?)" in message
    assert "[connexion] blocage_minutes : doit être un nombre (lu : '15')" in message


def test_out_of_range_values_say_the_bound(tmp_path: Path) -> None:
    path = write(tmp_path, "jury.toml", "[resultats]\ndesaccord_part_echelle = 1.5\n")
    with pytest.raises(settings.ConfigError, match=r"desaccord_part_echelle : doit être au plus 1"):
        load_rules(path)
    path = write(tmp_path, "app.toml", "[conservation]\ncontacts_mois = -1\n")
    with pytest.raises(settings.ConfigError, match="doit être au moins 0"):
        retention_months(path)
    path = write(tmp_path, "app.toml", "[conservation]\ncontacts_mois = true\n")
    with pytest.raises(settings.ConfigError, match="doit être un nombre entier"):
        retention_months(path)


def test_a_national_figure_with_a_bad_unit_names_its_entry(tmp_path: Path) -> None:
    entry = (
        '[[reference]]\ncode = "a"\nlibelle = "A"\nvaleur = 1\nunite = "h"\nannee = 2022\n'
        'portee = "France"\nsource = "S"\n'
    )
    path = write(tmp_path, "refs.toml", entry + entry.replace('"h"', '"heures"'))
    with pytest.raises(settings.ConfigError) as err:
        national_figures(path)
    assert "[[reference]] n° 2 : unite : doit valoir 'h' ou 'part' (lu : 'heures')" in str(
        err.value
    )


def test_broken_toml_is_reported_not_crashed(tmp_path: Path) -> None:
    path = write(tmp_path, "jury.toml", "[conflits\nmeme_region = true\n")
    with pytest.raises(settings.ConfigError, match="syntaxe TOML invalide"):
        load_rules(path)
