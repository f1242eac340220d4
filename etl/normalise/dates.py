"""Timestamps typed or exported in France, as moments in Europe/Paris."""

from __future__ import annotations

import polars as pl

from etl.normalise.base import NON_RENSEIGNE, Entree, Etapes, Lecture, est_nul, premier_code
from etl.normalise.base import texte as texte_propre

PARIS = "Europe/Paris"

_DATE_FR = (
    r"^(?<j>\d{1,2})[/.\-](?<m>\d{1,2})[/.\-](?<a>\d{4})"
    r"(?:[ T]+(?:à )?(?<h>\d{1,2})[:h](?<mi>\d{2})?(?:[:m](?<s>\d{2}))?)?$"
)
_DATE_ISO = (
    r"^(?<a>\d{4})-(?<m>\d{2})-(?<j>\d{2})"
    r"(?:[ T](?<h>\d{2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:\.\d+)?)?)?"
    r"(?<z>Z|[+\-]\d{2}:?\d{2})?$"
)
_SERIE_EXCEL = r"^\d{2,7}(?:[.,]\d+)?$"
_SERIE_MIN, _SERIE_MAX = 61, 2958466  # 1900-03-01 … 9999-12-31 (Excel's own limits)
_EPOQUE_EXCEL = pl.datetime(1899, 12, 30, time_unit="us")


def _naif(groupes: pl.Expr) -> pl.Expr:
    """Regex groups (j, m, a, h, mi, s) → naive Datetime; null if the calendar refuses."""
    champ = groupes.struct.field
    iso = pl.concat_str(
        champ("a"), pl.lit("-"), champ("m").str.zfill(2), pl.lit("-"), champ("j").str.zfill(2),
        pl.lit(" "), champ("h").fill_null("0").str.zfill(2), pl.lit(":"),
        champ("mi").fill_null("00"), pl.lit(":"), champ("s").fill_null("00"),
    )  # fmt: skip
    return iso.str.to_datetime("%Y-%m-%d %H:%M:%S", time_unit="us", strict=False)


def _minutes_de_decalage(decalage: pl.Expr) -> pl.Expr:
    """``Z`` → 0, ``+01:00`` → 60, ``-0230`` → -150."""
    heures = decalage.str.slice(1, 2).cast(pl.Int64, strict=False)
    minutes = decalage.str.slice(-2, 2).cast(pl.Int64, strict=False)
    signe = pl.when(decalage.str.starts_with("-")).then(-1).otherwise(1)
    return pl.when(decalage == "Z").then(0).otherwise((heures * 60 + minutes) * signe)


def horodatage(entree: Entree) -> Lecture:
    """A moment as Datetime(us, Europe/Paris) from ``21/11/2023 12:00[:00]``, ``21/11/2023``,
    ``21/11/2023 9h05``, ISO ``2023-11-21T12:00[:00]`` (``Z`` or ``+01:00`` honoured) or an
    Excel serial (``45251.5`` → 2023-11-21 12:00, day count since 1899-12-30).

    Naive inputs are Paris local time. A time skipped in spring is rejected
    (``heure_inexistante``); a time lived twice in autumn keeps the first occurrence
    (summer time) with ``heure_ambigue``. A date alone means midnight.
    """
    etapes = Etapes("date")
    (t,) = etapes.niveau(t=texte_propre(entree))
    serie = t.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
    en_serie = t.str.contains(_SERIE_EXCEL) & (serie >= _SERIE_MIN) & (serie < _SERIE_MAX)
    nul, fr, iso, serie = etapes.niveau(
        nul=est_nul(t),
        fr=t.str.extract_groups(_DATE_FR),
        iso=t.str.extract_groups(_DATE_ISO),
        serie=pl.when(en_serie).then(serie),
    )
    decalage = iso.struct.field("z")
    depuis_serie = _EPOQUE_EXCEL + pl.duration(seconds=(serie * 86400).round(0).cast(pl.Int64))
    reconnu, local, avec_decalage = etapes.niveau(
        reconnu=fr.struct.field("a").is_not_null()
        | iso.struct.field("a").is_not_null()
        | serie.is_not_null(),
        local=pl.coalesce(_naif(fr), pl.when(decalage.is_null()).then(_naif(iso)), depuis_serie),
        avec_decalage=(_naif(iso) - pl.duration(minutes=_minutes_de_decalage(decalage)))
        .dt.replace_time_zone("UTC")
        .dt.convert_time_zone(PARIS),
    )
    premiere, stricte = etapes.niveau(
        premiere=local.dt.replace_time_zone(PARIS, ambiguous="earliest", non_existent="null"),
        stricte=local.dt.replace_time_zone(PARIS, ambiguous="null", non_existent="null"),
    )
    valeur = pl.coalesce(avec_decalage, premiere)
    code = premier_code(
        (nul, NON_RENSEIGNE),
        (~reconnu, "date_illisible"),
        (local.is_null() & avec_decalage.is_null(), "date_inexistante"),
        (valeur.is_null(), "heure_inexistante"),
        (stricte.is_null() & local.is_not_null(), "heure_ambigue"),
    )
    return etapes.lecture(valeur, code)
