"""Territory resolution: tiny hand-made geographies for edge cases, the real reference for
the acceptance criteria (homonyms, arrondissements, Corsica, DOM, variants, wrong codes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl
import pytest

from etl.territory import (
    INPUT_COLUMNS,
    OUTPUT_COLUMNS,
    Resolution,
    TerritoryResolver,
    normalise_place_name,
    resolution_sample,
)
from etl.territory.names import five_char_code
from etl.territory.reading import split_free_text

if TYPE_CHECKING:
    from etl.reference import Reference

# --- a tiny geography with the reference's columns ------------------------------------------

GRAND_PARIS = "200054781"
CINOR = "249740119"
CA_CHALONS = "200066876"
CU_REIMS = "200067213"


def tiny_resolver(cls: type[TerritoryResolver] = TerritoryResolver) -> TerritoryResolver:
    """Eleven communes chosen for their traps: homonyms, shared postcode, Corsica, Vienne."""
    rows = [
        # code, nom, dep, region, epci, postcodes, population, anciens codes
        ("93066", "Saint-Denis", "93", "11", GRAND_PARIS, ["93200", "93210"], 150_000, []),
        ("97411", "Saint-Denis", "974", "04", CINOR, ["97400", "97490"], 155_000, []),
        ("75056", "Paris", "75", "11", GRAND_PARIS, ["75001", "75012"], 2_100_000, []),
        ("2A004", "Ajaccio", "2A", "94", None, ["20000", "20090"], 76_000, ["20004"]),
        ("2B033", "Bastia", "2B", "94", None, ["20200", "20600"], 47_000, ["20033"]),
        ("51108", "Châlons-en-Champagne", "51", "44", CA_CHALONS, ["51000"], 43_000, []),
        ("51454", "Reims", "51", "44", CU_REIMS, ["51100"], 178_000, []),
        ("38544", "Vienne", "38", "84", None, ["38200"], 31_000, []),
        ("77288", "Melun", "77", "11", None, ["77000"], 41_000, []),
        ("77389", "La Rochette", "77", "11", None, ["77000"], 3_300, []),
        ("76351", "Le Havre", "76", "28", None, ["76600"], 166_000, []),
    ]
    names = ["code", "nom", "departement_code", "region_code", "epci_siren"]
    names += ["codes_postaux", "population", "anciens_codes"]
    communes = pl.DataFrame(rows, schema=names, orient="row")
    deleguees = pl.DataFrame(
        [
            ("75112", "Paris 12e Arrondissement", "arrondissement-municipal", "75056", ["75012"]),
            ("93059", "Pierrefitte-sur-Seine", "commune-deleguee", "93066", ["93380"]),
        ],
        schema=["code", "nom", "type", "commune_code", "codes_postaux"],
        orient="row",
    )
    epci = pl.DataFrame(
        [
            (GRAND_PARIS, "Métropole du Grand Paris", "METRO"),
            (CINOR, "CA Intercommunale du Nord de la Réunion (CINOR)", "CA"),
            (CA_CHALONS, "CA de Châlons-en-Champagne", "CA"),
            (CU_REIMS, "CU du Grand Reims", "CU"),
        ],
        schema=["siren", "nom", "type"],
        orient="row",
    )
    departements = pl.DataFrame(
        [
            ("01", "Ain", "84"),
            ("2A", "Corse-du-Sud", "94"),
            ("2B", "Haute-Corse", "94"),
            ("38", "Isère", "84"),
            ("51", "Marne", "44"),
            ("75", "Paris", "11"),
            ("76", "Seine-Maritime", "28"),
            ("77", "Seine-et-Marne", "11"),
            ("86", "Vienne", "75"),
            ("93", "Seine-Saint-Denis", "11"),
            ("974", "La Réunion", "04"),
        ],
        schema=["code", "nom", "region_code"],
        orient="row",
    )
    regions = pl.DataFrame(
        [
            ("04", "La Réunion"),
            ("11", "Île-de-France"),
            ("28", "Normandie"),
            ("44", "Grand Est"),
            ("75", "Nouvelle-Aquitaine"),
            ("84", "Auvergne-Rhône-Alpes"),
            ("94", "Corse"),
        ],
        schema=["code", "nom"],
        orient="row",
    )
    return cls.from_frames(
        communes=communes,
        communes_deleguees=deleguees,
        epci=epci,
        departements=departements,
        regions=regions,
    )


@pytest.fixture(scope="module")
def tiny() -> TerritoryResolver:
    return tiny_resolver()


@pytest.fixture(scope="module")
def resolver(reference: Reference) -> TerritoryResolver:
    """The resolver over the real reference, built once for this module."""
    return TerritoryResolver.from_reference(reference)


def candidate_codes(found: Resolution) -> set[str]:
    return {c.code for c in found.candidats}


# --- matching keys and free text (pure) ---------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Saint-Étienne", "SAINT ETIENNE"),
        ("st etienne", "SAINT ETIENNE"),
        ("ST-ETIENNE", "SAINT ETIENNE"),
        ("Ste   Colombe ", "SAINTE COLOMBE"),
        ("CHALONS EN CHAMPAGNE", "CHALONS EN CHAMPAGNE"),
        ("Châlons-en-Champagne", "CHALONS EN CHAMPAGNE"),
        ("L’Haÿ-les-Roses", "L HAY LES ROSES"),
        ("L'Haÿ-les-Roses", "L HAY LES ROSES"),
        ("Havre (Le)", "LE HAVRE"),
        ("Havre, Le", "LE HAVRE"),
        ("Lyon Cedex 03", "LYON"),
        ("Paris 12e Arrondissement", "PARIS 12"),
        ("Paris 12ème", "PARIS 12"),
        ("Marseille 1er", "MARSEILLE 1"),
        ("Boulogne s/ Mer", "BOULOGNE SUR MER"),
        ("Œuilly", "OEUILLY"),
        ("", ""),
    ],
)
def test_normalise_place_name(typed: str, key: str) -> None:
    assert normalise_place_name(typed) == key


def test_normalise_place_name_keeps_distinct_names_distinct() -> None:
    assert normalise_place_name("Saint-Denis") != normalise_place_name("Sainte-Denise")
    assert normalise_place_name("Le Havre") != normalise_place_name("Havre")


@pytest.mark.parametrize(
    ("typed", "code"),
    [("1000", "01000"), ("01000", "01000"), ("2a004", "2A004"), ("75700 CEDEX 07", "75700")],
)
def test_five_char_code_pads_and_cleans(typed: str, code: str) -> None:
    assert five_char_code(typed) == code


def test_five_char_code_refuses_what_is_no_code() -> None:
    assert five_char_code("Paris") is None
    assert five_char_code("123") is None


def test_split_free_text_separates_codes_from_name() -> None:
    assert split_free_text("75012 Paris").code == "75012"
    assert split_free_text("75012 Paris").name == "Paris"
    assert split_free_text("Saint-Denis (974)").departement == "974"
    assert split_free_text("Saint-Denis (974)").name == "Saint-Denis"
    assert split_free_text("Mamoudzou, Mayotte").departement == "Mayotte"
    assert split_free_text("Havre (Le)").name == "Havre (Le)"
    assert split_free_text("CA du Grand Dax 244000675").siren == "244000675"


# --- decisions on the tiny geography --------------------------------------------------------


def test_homonyms_alone_are_ambiguous_with_their_candidates(tiny: TerritoryResolver) -> None:
    found = tiny.resolve(commune="Saint-Denis")
    assert found.statut == "ambigu"
    assert found.commune_code is None
    assert candidate_codes(found) == {"93066", "97411"}
    assert found.departement_code is None  # the candidates share no département
    assert found.region_code is None
    assert "précisez" in found.message


@pytest.mark.parametrize(
    "fields",
    [
        {"commune": "Saint-Denis", "departement": "974"},
        {"commune": "Saint-Denis", "code_postal": "97400"},
        {"commune": "Saint-Denis", "departement": "La Réunion"},
        {"texte": "Saint-Denis (974)"},
        {"commune": "Saint-Denis 974"},
        {"commune": "Saint-Denis", "epci": CINOR},
    ],
)
def test_homonyms_are_separated_by_any_other_field(
    tiny: TerritoryResolver, fields: dict[str, str]
) -> None:
    found = tiny.resolve(**fields)
    assert (found.statut, found.commune_code) == ("exact", "97411")
    assert (found.departement_code, found.region_code, found.epci_siren) == ("974", "04", CINOR)


def test_wrong_postcode_keeps_the_name_and_says_why(tiny: TerritoryResolver) -> None:
    found = tiny.resolve(commune="Chalons en Champagne", code_postal="51100")
    assert (found.statut, found.commune_code) == ("avertissement", "51108")
    assert "Retenu : Châlons-en-Champagne" in found.message
    assert "nom unique" in found.message
    assert "51100" in found.message and "Reims" in found.message


def test_two_agreeing_codes_outweigh_a_lone_name(tiny: TerritoryResolver) -> None:
    found = tiny.resolve(commune="Bastia", code_insee="51108", code_postal="51000")
    assert (found.statut, found.commune_code) == ("avertissement", "51108")
    assert "écarté : le nom « Bastia »" in found.message


def test_codes_against_a_name_of_the_same_departement_is_ambiguous(
    tiny: TerritoryResolver,
) -> None:
    # The postcode also agrees with Reims on the département: neither reading dominates.
    found = tiny.resolve(commune="Reims", code_insee="51108", code_postal="51000")
    assert found.statut == "ambigu"
    assert candidate_codes(found) == {"51108", "51454"}
    assert found.departement_code == "51"


def test_homonym_with_a_postcode_of_neither_stays_ambiguous(tiny: TerritoryResolver) -> None:
    found = tiny.resolve(commune="Saint-Denis", code_postal="51100")
    assert found.statut == "ambigu"
    assert candidate_codes(found) == {"93066", "97411"}
    assert "51100" in found.message


def test_shared_postcode_needs_the_name(tiny: TerritoryResolver) -> None:
    alone = tiny.resolve(code_postal="77000")
    assert alone.statut == "ambigu"
    assert candidate_codes(alone) == {"77288", "77389"}
    assert alone.departement_code == "77"  # what every candidate shares is still given
    named = tiny.resolve(code_postal="77000", commune="la rochette")
    assert (named.statut, named.commune_code) == ("exact", "77389")


def test_arrondissement_code_and_name_resolve_to_the_commune(tiny: TerritoryResolver) -> None:
    by_code = tiny.resolve(code_insee="75112")
    assert (by_code.statut, by_code.commune_code) == ("avertissement", "75056")
    assert "arrondissement municipal" in by_code.message
    by_name = tiny.resolve(commune="Paris 12e")
    assert (by_name.statut, by_name.commune_code) == ("avertissement", "75056")
    by_postcode = tiny.resolve(code_postal="75012", commune="Paris")
    assert (by_postcode.statut, by_postcode.commune_code) == ("exact", "75056")


def test_delegated_commune_name_resolves_to_its_parent(tiny: TerritoryResolver) -> None:
    found = tiny.resolve(commune="Pierrefitte sur Seine")
    assert (found.statut, found.commune_code) == ("avertissement", "93066")
    assert "Saint-Denis (93066)" in found.message


def test_corsica_old_and_new_codes(tiny: TerritoryResolver) -> None:
    assert tiny.resolve(code_insee="2a004").commune_code == "2A004"
    old = tiny.resolve(code_insee="20004")
    assert (old.statut, old.commune_code) == ("avertissement", "2A004")
    assert "ancien code" in old.message
    bad = tiny.resolve(departement="20")
    assert bad.statut == "inconnu"
    assert "2A" in bad.message and "2B" in bad.message
    with_name = tiny.resolve(commune="Bastia", departement="20")
    assert (with_name.statut, with_name.commune_code) == ("avertissement", "2B033")
    assert "1976" in with_name.message


def test_wrong_departement_is_set_aside_for_a_unique_name(tiny: TerritoryResolver) -> None:
    found = tiny.resolve(commune="Bastia", departement="2A")
    assert (found.statut, found.commune_code) == ("avertissement", "2B033")
    assert "Haute-Corse" in found.message


def test_one_typo_is_read_with_a_warning(tiny: TerritoryResolver) -> None:
    found = tiny.resolve(commune="Chalon-en-Champagne")
    assert (found.statut, found.commune_code) == ("avertissement", "51108")
    assert "faute de frappe" in found.message


def test_short_typo_alone_is_only_a_suggestion(tiny: TerritoryResolver) -> None:
    alone = tiny.resolve(commune="Rheims")
    assert alone.statut == "inconnu"
    assert alone.commune_code is None
    assert "Reims" in alone.message
    corroborated = tiny.resolve(commune="Rheims", departement="51")
    assert (corroborated.statut, corroborated.commune_code) == ("avertissement", "51454")


def test_name_that_is_also_a_departement(tiny: TerritoryResolver) -> None:
    free = tiny.resolve(texte="Vienne")
    assert free.statut == "ambigu"
    assert {(c.niveau, c.code) for c in free.candidats} == {
        ("commune", "38544"),
        ("departement", "86"),
    }
    commune_field = tiny.resolve(commune="Vienne")
    assert (commune_field.statut, commune_field.commune_code) == ("avertissement", "38544")
    assert "département Vienne (86)" in commune_field.message
    with_dep = tiny.resolve(texte="Vienne", departement="86")
    assert (with_dep.niveau, with_dep.departement_code) == ("departement", "86")


def test_article_forms(tiny: TerritoryResolver) -> None:
    for typed in ("Le Havre", "Havre (Le)", "LE HAVRE", "Havre"):
        assert tiny.resolve(commune=typed).commune_code == "76351", typed


def test_epci_spanning_several_departements(tiny: TerritoryResolver) -> None:
    found = tiny.resolve(epci="Métropole du Grand Paris")
    assert (found.statut, found.niveau, found.epci_siren) == ("exact", "epci", GRAND_PARIS)
    assert found.departement_code is None
    assert found.region_code == "11"
    assert "2 départements" in found.message


def test_epci_in_one_departement_by_siren_and_name(tiny: TerritoryResolver) -> None:
    for typed in (
        CU_REIMS,
        "200 067 213",
        "CU du Grand Reims",
        "Communauté urbaine du Grand Reims",
    ):
        found = tiny.resolve(epci=typed)
        assert (found.statut, found.niveau, found.epci_siren) == ("exact", "epci", CU_REIMS)
        assert (found.departement_code, found.region_code) == ("51", "44")


def test_epci_contradicted_by_departement(tiny: TerritoryResolver) -> None:
    found = tiny.resolve(epci="CU du Grand Reims", departement="77")
    assert (found.statut, found.epci_siren) == ("avertissement", CU_REIMS)
    assert "« 77 »" in found.message


def test_name_typed_in_the_commune_field_that_is_an_epci(tiny: TerritoryResolver) -> None:
    found = tiny.resolve(commune="CU du Grand Reims")
    assert (found.statut, found.niveau, found.epci_siren) == ("avertissement", "epci", CU_REIMS)
    assert "EPCI" in found.message


def test_departement_and_region_alone(tiny: TerritoryResolver) -> None:
    assert tiny.resolve(departement="1").departement_code == "01"
    corse = tiny.resolve(departement="Haute-Corse")
    assert (corse.statut, corse.niveau, corse.departement_code) == ("exact", "departement", "2B")
    assert corse.region_code == "94"
    region = tiny.resolve(texte="Région Île-de-France")
    assert (region.niveau, region.region_code, region.departement_code) == ("region", "11", None)


def test_unknown_places(tiny: TerritoryResolver) -> None:
    nowhere = tiny.resolve(commune="Atlantide")
    assert (nowhere.statut, nowhere.niveau) == ("inconnu", None)
    assert "« Atlantide »" in nowhere.message
    assert tiny.resolve().message == "Aucun territoire saisi."
    assert tiny.resolve(commune="  ", code_postal="-").statut == "inconnu"
    bad_code = tiny.resolve(code_insee="99999")
    assert bad_code.statut == "inconnu"
    assert "99999" in bad_code.message


def test_unknown_name_with_a_known_postcode_trusts_the_postcode(tiny: TerritoryResolver) -> None:
    found = tiny.resolve(commune="Siège social", code_postal="51100")
    assert (found.statut, found.commune_code) == ("avertissement", "51454")
    assert "« Siège social »" in found.message


def test_cedex_postcode_falls_back_to_its_departement(tiny: TerritoryResolver) -> None:
    found = tiny.resolve(code_postal="51099 CEDEX")
    assert (found.statut, found.niveau, found.departement_code) == (
        "avertissement",
        "departement",
        "51",
    )
    assert "51099" in found.message


def test_postcode_typed_as_insee_code(tiny: TerritoryResolver) -> None:
    found = tiny.resolve(code_insee="51100")
    assert (found.statut, found.commune_code) == ("avertissement", "51454")
    assert "code postal" in found.message


def test_describe_fr_names_the_territory_and_the_candidates(tiny: TerritoryResolver) -> None:
    exact = tiny.resolve(commune="Reims").describe_fr()
    assert exact.startswith("Résolu : commune Reims (51454)")
    assert "\n" not in exact
    ambiguous = tiny.resolve(commune="Saint-Denis").describe_fr()
    assert ambiguous.startswith("Ambigu")
    assert "Saint-Denis (97411, dép. 974)" in ambiguous
    assert "Saint-Denis (93066, dép. 93)" in ambiguous


# --- batch resolution ---------------------------------------------------------------------


class CountingResolver(TerritoryResolver):
    """Counts the single resolutions ``resolve_frame`` asks for."""

    calls = 0

    def _resolve_with(self, decider: Any, *fields: Any, **named: Any) -> Resolution:
        self.calls += 1
        return super()._resolve_with(decider, *fields, **named)


def test_resolve_frame_matches_resolve_and_resolves_each_combination_once() -> None:
    counting = tiny_resolver(CountingResolver)
    assert isinstance(counting, CountingResolver)
    frame = pl.DataFrame(
        {
            "candidature": ["a", "b", "c", "d", "e", "f"],
            "commune": ["Saint-Denis", "Reims", "Saint-Denis", None, "Reims", "Saint-Denis"],
            "code_postal": ["97400", None, "97400", "77000", None, None],
            "departement": [None, 51, None, None, 51, None],  # integers, as Excel gives them
        }
    )
    out = counting.resolve_frame(frame)
    assert counting.calls == 4  # six rows, four distinct combinations
    assert out.columns == [*frame.columns, *OUTPUT_COLUMNS]
    assert out["candidature"].to_list() == ["a", "b", "c", "d", "e", "f"]
    for row in out.iter_rows(named=True):
        fields = {c: row[c] for c in INPUT_COLUMNS if c in frame.columns}
        single = tiny_resolver().resolve(
            **{k: (None if v is None else str(v)) for k, v in fields.items()}
        )
        assert row["territoire_statut"] == single.statut
        assert row["territoire_niveau"] == single.niveau
        assert row["commune_code"] == single.commune_code
        assert row["epci_siren"] == single.epci_siren
        assert row["departement_code"] == single.departement_code
        assert row["region_code"] == single.region_code
        # the stored explanation names the candidates of an ambiguity
        assert row["territoire_message"] == single.explanation_fr()
        assert single.message in row["territoire_message"]
    assert out["commune_code"].to_list()[:3] == ["97411", "51454", "97411"]


def test_resolve_frame_refuses_frames_it_would_corrupt(tiny: TerritoryResolver) -> None:
    with pytest.raises(ValueError, match="none of the input columns"):
        tiny.resolve_frame(pl.DataFrame({"autre": ["x"]}))
    with pytest.raises(ValueError, match="already present"):
        tiny.resolve_frame(pl.DataFrame({"commune": ["Reims"], "commune_code": ["x"]}))


# --- acceptance criteria against the real reference -----------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Saint-Denis", {"93066", "97411"}),
        ("Saint-Louis", {"68297", "97414"}),
        ("Sainte-Colombe", {"69189", "77404"}),
    ],
)
def test_real_homonyms_are_ambiguous_alone(
    resolver: TerritoryResolver, name: str, expected: set[str]
) -> None:
    found = resolver.resolve(commune=name)
    assert found.statut == "ambigu"
    assert expected <= candidate_codes(found)
    assert len({c.departement_code for c in found.candidats}) == len(found.candidats)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"commune": "Saint-Denis", "departement": "93"}, "93066"),
        ({"commune": "Saint-Denis", "departement": "974"}, "97411"),
        ({"commune": "Saint-Denis", "code_postal": "97400"}, "97411"),
        ({"commune": "Saint-Denis", "code_postal": "93200"}, "93066"),
        ({"commune": "Saint-Louis", "departement": "68"}, "68297"),
        ({"commune": "Saint-Louis", "code_postal": "97450"}, "97414"),
        ({"commune": "Sainte-Colombe", "departement": "69"}, "69189"),
        ({"commune": "Ste Colombe", "code_postal": "69560"}, "69189"),
        ({"texte": "Saint-Denis (974)"}, "97411"),
    ],
)
def test_real_homonyms_are_exact_with_departement_or_postcode(
    resolver: TerritoryResolver, fields: dict[str, str], code: str
) -> None:
    found = resolver.resolve(**fields)
    assert (found.statut, found.commune_code) == ("exact", code)


@pytest.mark.parametrize(
    ("postcode", "code", "dep"),
    [("13001", "13055", "13"), ("69003", "69123", "69"), ("75012", "75056", "75")],
)
def test_real_arrondissement_postcodes(
    resolver: TerritoryResolver, postcode: str, code: str, dep: str
) -> None:
    found = resolver.resolve(code_postal=postcode)
    assert (found.statut, found.commune_code, found.departement_code) == ("exact", code, dep)


def test_real_arrondissement_codes_and_names(resolver: TerritoryResolver) -> None:
    for typed, code in (("13201", "13055"), ("69383", "69123"), ("75112", "75056")):
        found = resolver.resolve(code_insee=typed)
        assert (found.statut, found.commune_code) == ("avertissement", code)
        assert "arrondissement municipal" in found.message
    assert resolver.resolve(texte="Lyon 3e").commune_code == "69123"
    assert resolver.resolve(commune="Marseille 1er arrondissement").commune_code == "13055"


def test_real_corsica(resolver: TerritoryResolver) -> None:
    ajaccio = resolver.resolve(commune="Ajaccio")
    assert (ajaccio.statut, ajaccio.commune_code, ajaccio.departement_code) == (
        "exact",
        "2A004",
        "2A",
    )
    bastia = resolver.resolve(commune="Bastia")
    assert (bastia.statut, bastia.commune_code, bastia.departement_code) == (
        "exact",
        "2B033",
        "2B",
    )
    assert resolver.resolve(code_insee="2B033").commune_code == "2B033"
    assert resolver.resolve(departement="2a").departement_code == "2A"
    assert resolver.resolve(departement="Haute-Corse").departement_code == "2B"
    invalid = resolver.resolve(departement="20")
    assert invalid.statut == "inconnu"
    assert "Corse-du-Sud (2A)" in invalid.message and "Haute-Corse (2B)" in invalid.message


def test_real_dom(resolver: TerritoryResolver) -> None:
    reunion = resolver.resolve(code_insee="97411")
    assert (reunion.statut, reunion.commune_nom, reunion.departement_code) == (
        "exact",
        "Saint-Denis",
        "974",
    )
    assert reunion.region_code == "04"
    mamoudzou = resolver.resolve(commune="Mamoudzou")
    assert (mamoudzou.statut, mamoudzou.commune_code) == ("exact", "97611")
    assert (mamoudzou.departement_code, mamoudzou.region_code) == ("976", "06")
    for typed in ("Réunion", "La Réunion", "974"):
        found = resolver.resolve(departement=typed)
        assert (found.statut, found.departement_code) == ("exact", "974"), typed
    assert resolver.resolve(departement="976").departement_code == "976"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("st etienne", "42218"),
        ("ST-ETIENNE", "42218"),
        ("Saint Etienne", "42218"),
        ("CHALONS EN CHAMPAGNE", "51108"),
        ("chalons-en-champagne", "51108"),
        ("L'Haÿ-les-Roses", "94038"),
        ("L’HAY LES ROSES", "94038"),
        ("Havre (Le)", "76351"),
        ("  Le   Havre ", "76351"),
    ],
)
def test_real_spelling_variants(resolver: TerritoryResolver, typed: str, code: str) -> None:
    found = resolver.resolve(commune=typed)
    assert (found.statut, found.commune_code) == ("exact", code)


def test_real_shortened_names(resolver: TerritoryResolver) -> None:
    cherbourg = resolver.resolve(commune="Cherbourg")
    assert (cherbourg.statut, cherbourg.commune_code) == ("avertissement", "50129")
    assert "nom abrégé" in cherbourg.message
    # A village bears the exact name, but a town 100 times bigger starts with it.
    charleville = resolver.resolve(commune="Charleville")
    assert charleville.statut == "ambigu"
    assert candidate_codes(charleville) == {"08105", "51129"}
    ardennes = resolver.resolve(commune="Charleville", departement="08")
    assert (ardennes.statut, ardennes.commune_code) == ("avertissement", "08105")
    marne = resolver.resolve(commune="Charleville", departement="51")
    assert (marne.statut, marne.commune_code) == ("exact", "51129")
    assert resolver.resolve(texte="Ville de Grenoble").commune_code == "38185"
    assert resolver.resolve(commune="Mairie de Roubaix").commune_code == "59512"


def test_real_right_name_wrong_postcode(resolver: TerritoryResolver) -> None:
    found = resolver.resolve(commune="Châlons-en-Champagne", code_postal="51100")
    assert (found.statut, found.commune_code) == ("avertissement", "51108")
    assert "Retenu : Châlons-en-Champagne (51108)" in found.message
    assert "écarté : le code postal 51100" in found.message
    assert "Reims" in found.message
    in_dep = resolver.resolve(commune="Sainte-Colombe", departement="69", code_postal="69001")
    assert (in_dep.statut, in_dep.commune_code) == ("avertissement", "69189")
    assert "seule commune de ce nom dans le département 69" in in_dep.message


def test_real_unknown_places(resolver: TerritoryResolver) -> None:
    for fields in ({"commune": "Zone d'activité des Pins"}, {"code_postal": "99999"}):
        found = resolver.resolve(**fields)
        assert (found.statut, found.niveau, found.commune_code) == ("inconnu", None, None)
        assert found.message


def test_real_departement_numbers(resolver: TerritoryResolver) -> None:
    for typed in ("1", "01", "1.0", "Ain"):
        found = resolver.resolve(departement=typed)
        assert (found.statut, found.niveau, found.departement_code) == (
            "exact",
            "departement",
            "01",
        ), typed
        assert found.region_code == "84"


def test_real_epci_by_siren_and_name(resolver: TerritoryResolver) -> None:
    for typed in (
        "244000675",
        "CA du Grand Dax",
        "Communauté d'agglomération du Grand Dax",
        "grand dax",
    ):
        found = resolver.resolve(epci=typed)
        assert (found.statut, found.niveau, found.epci_siren) == ("exact", "epci", "244000675")
        assert (found.departement_code, found.region_code) == ("40", "75")
    free = resolver.resolve(texte="CA du Grand Dax")
    assert (free.niveau, free.epci_siren) == ("epci", "244000675")
    spanning = resolver.resolve(epci="Métropole du Grand Paris")
    assert (spanning.statut, spanning.departement_code, spanning.region_code) == (
        "exact",
        None,
        "11",
    )
    assert "départements" in spanning.message


def test_real_resolve_frame_matches_resolve(resolver: TerritoryResolver) -> None:
    frame = pl.DataFrame(
        {
            "commune": ["Saint-Denis", "st etienne", "Saint-Denis", None, "Bastia"],
            "code_postal": ["93200", None, "93200", "13001", None],
            "departement": [None, None, None, None, "2A"],
        }
    )
    out = resolver.resolve_frame(frame)
    expected = [resolver.resolve(**row) for row in frame.iter_rows(named=True)]
    assert out["commune_code"].to_list() == [r.commune_code for r in expected]
    assert out["territoire_statut"].to_list() == [r.statut for r in expected]
    assert out["territoire_message"].to_list() == [r.message for r in expected]


def test_resolution_sample_is_realistic_and_deterministic(
    reference: Reference, resolver: TerritoryResolver
) -> None:
    sample = resolution_sample(reference, n=2_000, seed=7)
    assert sample == resolution_sample(reference, n=2_000, seed=7)
    assert sample != resolution_sample(reference, n=2_000, seed=8)
    assert len(sample) == 2_000
    assert all(set(item) <= set(INPUT_COLUMNS) for item in sample)
    for field in INPUT_COLUMNS:
        assert sum(1 for item in sample if item.get(field)) >= 40, field
    statuts = [resolver.resolve(**item).statut for item in sample]
    assert {"exact", "avertissement", "ambigu", "inconnu"} <= set(statuts)
    assert statuts.count("exact") > len(sample) // 2


def test_the_organiser_finds_a_commune_by_name_postcode_or_departement(
    reference: Reference,
) -> None:
    from etl import editions
    from etl.territory.search import search_communes

    rural = editions.load_editions()[2023].eligibilite.rural
    by_name = search_communes(reference, "st denis", rural=rural)
    assert {"93066", "97411"} <= set(by_name["code"])  # Seine-Saint-Denis and La Réunion
    assert by_name["nom"][0] == "Saint-Denis"  # exact names first, most populated first
    assert set(by_name["rural"]) <= {"éligible", "non éligible", "indéterminé"}
    assert search_communes(reference, "Saint-Denis (974)")["code"].to_list() == ["97411"]
    assert "97411" in search_communes(reference, "97400")["code"].to_list()
    assert search_communes(reference, "   ").is_empty()
