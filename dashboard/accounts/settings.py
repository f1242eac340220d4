"""Where the accounts live, how long a session lasts, how failed logins are slowed:
``config/app.toml`` read through ``etl.settings`` (typed, French errors) and
``TROPHEES_COMPTES``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from etl import paths
from etl import settings as app_settings

ENV_FILE = "TROPHEES_COMPTES"


@dataclass(frozen=True)
class AccountSettings:
    """Accounts file, session limits and login throttling (``[comptes]``, ``[session]``,
    ``[connexion]`` of ``config/app.toml``)."""

    file: Path
    session_max: timedelta = timedelta(hours=8)
    idle_max: timedelta = timedelta(hours=1)
    # one identifier tried from one client
    failures_before_delay: int = 3
    delay: timedelta = timedelta(seconds=2)
    failures_before_block: int = 5
    block: timedelta = timedelta(minutes=15)
    # one client, whatever identifiers it tries
    client_failures_before_block: int = 30
    client_block: timedelta = timedelta(minutes=15)
    client_header: str = ""
    concurrent_checks: int = 4

    def delay_after(self, failures: int) -> timedelta:
        """Delay imposed before the next try after ``failures`` consecutive failures."""
        if failures < self.failures_before_delay:
            return timedelta(0)
        factor: int = 2 ** min(failures - self.failures_before_delay, 20)
        return self.delay * factor


def config_file() -> Path:
    """``app.toml`` in the configuration directory (``TROPHEES_CONFIG_DIR``)."""
    return paths.config_dir() / "app.toml"


def account_settings(config: Path | None = None) -> AccountSettings:
    """Settings from ``config/app.toml`` (defaults when absent; typos refused in French by
    ``etl.settings``) and ``TROPHEES_COMPTES``."""
    document = app_settings.app_settings(config or config_file())
    env = os.environ.get(ENV_FILE)
    if env:
        file = Path(env)
    else:
        file = Path(document.comptes.fichier)
        if not file.is_absolute():
            file = paths.data_dir() / file
    session, login = document.session, document.connexion
    return AccountSettings(
        file=file,
        session_max=timedelta(hours=session.duree_max_heures),
        idle_max=timedelta(minutes=session.inactivite_max_minutes),
        failures_before_delay=login.echecs_avant_attente,
        delay=timedelta(seconds=login.attente_secondes),
        failures_before_block=login.echecs_avant_blocage,
        block=timedelta(minutes=login.blocage_minutes),
        client_failures_before_block=login.echecs_par_adresse_avant_blocage,
        client_block=timedelta(minutes=login.blocage_adresse_minutes),
        client_header=login.entete_adresse.strip(),
        concurrent_checks=login.verifications_simultanees,
    )
