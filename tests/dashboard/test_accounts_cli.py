"""``trophees comptes``: demo accounts only on fictitious data; accounts listed without
their hashes; a demo account is refused by the app once the data is real."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.accounts import AccountSettings, AccountStore, InvalidAccount
from dashboard.accounts import cli as comptes_cli
from dashboard.cli import main
from dashboard.navigation import ROLES
from etl import warehouse
from tests.helpers import APP, app_data_dir

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "etl" / "mini-2023.csv"


@pytest.fixture(scope="module")
def real_data_dir(reference_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse loaded from a (small) export that is NOT marked fictitious."""
    data = tmp_path_factory.mktemp("donnees-reelles")
    (data / "reference").symlink_to(reference_dir)
    warehouse.load_files([MINI], 2023, warehouse=data / "warehouse.duckdb", ref_dir=reference_dir)
    return data


@pytest.fixture
def demo_env(
    demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    data = app_data_dir(demo_data_dir, tmp_path / "donnees")
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(data))
    monkeypatch.delenv("TROPHEES_COMPTES", raising=False)
    yield data


def test_demo_creates_one_account_per_role_and_jurors_with_organisations(
    demo_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["comptes", "demo"]) == 0
    out = capsys.readouterr().out
    comptes = AccountStore()
    assert comptes.file == demo_env / "comptes.toml"
    records = comptes.read()
    assert {r.account.role for r in records.values()} == set(ROLES)
    assert all(r.demo for r in records.values())
    jurors = [r.account for r in records.values() if r.account.role == "jury"]
    assert len(jurors) >= 3
    assert all(j.organisation and j.departement and j.region for j in jurors)
    assert len({j.departement for j in jurors}) >= 3
    # every printed password opens its account; the file holds none of them
    text = comptes.file.read_text(encoding="utf-8")
    printed = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] in records:
            printed[parts[0]] = parts[1]
    assert set(printed) == set(records)
    assert not [password for password in printed.values() if password in text]
    juror = jurors[0].identifiant
    checked = comptes.verify(juror, printed[juror])
    assert checked.admitted and checked.demo
    # a second run gives new passwords
    assert main(["comptes", "demo"]) == 0
    assert not comptes.verify("demo-admin", printed["demo-admin"]).admitted


def test_demo_is_refused_on_a_warehouse_that_is_not_fictitious(
    real_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    comptes = AccountStore(AccountSettings(file=tmp_path / "comptes.toml"))
    with pytest.raises(comptes_cli.EntrepotNonFictif, match="données réelles"):
        comptes_cli.create_demo_accounts(comptes, real_data_dir / "warehouse.duckdb")
    with pytest.raises(comptes_cli.EntrepotNonFictif, match="Aucun entrepôt"):
        comptes_cli.create_demo_accounts(comptes, tmp_path / "absent.duckdb")
    assert not comptes.file.exists()


def test_cli_demo_refusal_says_why_in_french(
    real_data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = app_data_dir(real_data_dir, tmp_path / "donnees")
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(data))
    monkeypatch.delenv("TROPHEES_COMPTES", raising=False)
    assert main(["comptes", "demo"]) == 1
    err = capsys.readouterr().err
    assert "Comptes de démonstration refusés : l'entrepôt contient des données réelles" in err
    assert not (data / "comptes.toml").exists()


def test_demo_never_replaces_a_named_account(demo_env: Path) -> None:
    comptes = AccountStore()
    comptes.add("demo-admin", "Vraie personne", "admin", "un mot de passe solide")
    with pytest.raises(InvalidAccount, match="n'est pas un compte de démonstration"):
        comptes_cli.create_demo_accounts(comptes, demo_env / "warehouse.duckdb")
    assert comptes.verify("demo-admin", "un mot de passe solide").admitted
    assert set(comptes.read()) == {"demo-admin"}


def test_ajouter_lister_desactiver(
    demo_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("mot-de-passe-de-jeanne\n"))
    argv = ["comptes", "ajouter", "jdupont", "--nom", "Jeanne Dupont", "--role", "jury"]
    assert main([*argv, "--organisation", "PLIE du Val", "--mot-de-passe-stdin"]) == 0
    assert main(["comptes", "ajouter", "admin2", "--nom", "A", "--role", "admin", "--generer"]) == 0
    out = capsys.readouterr().out
    generated = out.split("Mot de passe (affiché une seule fois) : ")[1].split()[0]
    comptes = AccountStore()
    assert comptes.verify("admin2", generated).admitted
    assert comptes.verify("jdupont", "mot-de-passe-de-jeanne").admitted
    assert main(["comptes", "ajouter", "jdupont", "--nom", "J", "--role", "jury", "--generer"]) == 1
    assert "existe déjà" in capsys.readouterr().err
    assert main(["comptes", "desactiver", "jdupont"]) == 0
    assert main(["comptes", "lister"]) == 0
    listing = capsys.readouterr().out
    assert "jdupont" in listing and "désactivé" in listing and "PLIE du Val" in listing
    assert "argon2" not in listing
    assert not comptes.verify("jdupont", "mot-de-passe-de-jeanne").admitted


def test_the_app_refuses_a_demo_account_on_real_data(
    real_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    data = app_data_dir(real_data_dir, tmp_path / "donnees")
    monkeypatch.setenv("TROPHEES_DATA_DIR", str(data))
    monkeypatch.delenv("TROPHEES_COMPTES", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    AccountStore().add("demo-admin", "Démo", "admin", "mot de passe de démo", demo=True)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.warning, "no demo banner on real data"
    at.text_input[0].input("demo-admin")
    at.text_input[1].input("mot de passe de démo")
    at.button[0].click().run()
    assert "compte" not in at.session_state
    assert at.error[0].value.startswith("Compte de démonstration refusé")
    from dashboard import auth

    auth._store().close()
    st.cache_resource.clear()


def test_fallback_jurors_come_from_fictitious_candidatures(demo_env: Path) -> None:
    from tests.helpers import warehouse_rows

    juges = comptes_cli.juges_fictifs(demo_env / "warehouse.duckdb")
    assert len(juges) == 4
    assert len({j.departement for j in juges}) == 4
    structures = {
        (r[0], r[1])
        for r in warehouse_rows(
            demo_env, "select structure_nom, departement_code from candidatures"
        )
    }
    assert {(j.organisation, j.departement) for j in juges} <= structures


def test_deverrouiller_lifts_an_identifier_or_an_address(
    demo_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dashboard.accounts import client_key

    store = AccountStore()
    store.add("jure-a", "Juré A", "jury", "un mot de passe solide")
    attacker = client_key("203.0.113.9")
    for i in range(6):
        store.failures.fail(attacker, f"compte-{i}", store.clock())
    for _ in range(5):
        store.failures.fail(client_key("198.51.100.1"), "jure-a", store.clock())
    assert store.failure_state("jure-a")[1] is not None  # blocked from that address
    assert main(["comptes", "deverrouiller"]) == 1
    assert "Indiquez un identifiant" in capsys.readouterr().err
    assert main(["comptes", "deverrouiller", "jure-a"]) == 0
    assert store.failure_state("jure-a") == (0, None)
    assert main(["comptes", "deverrouiller", "--adresse", "203.0.113.9"]) == 0
    assert store.failures.size() == 1  # what remains: the other address's own count
