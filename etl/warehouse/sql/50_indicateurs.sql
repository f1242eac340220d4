-- Grain: one row per current candidature (same rows as `candidatures`), across editions.
-- The normalised indicators, defined once for the app, the notebooks and the press kit.
--
-- inputs:  candidatures (form figures, resolved territory), ref_epci (EPCI population)
-- logic:   every ratio is NULL when its numerator or denominator is missing or the
--          denominator is 0: an unknown share is never shown as 0 %.
--          Shares are fractions (0.125 = 12,5 %), as in config/references_nationales.toml.
--          Territory population: the resolved commune's (« Commune principale du territoire
--          du projet ») when the territory was resolved at commune level, the EPCI's when
--          it was resolved at EPCI level; NULL when only a département or a région is
--          known (their population would make the figure incomparable) or when unresolved.
create or replace view indicateurs as
with territoire as (
    select
        c.*,
        case c.territoire_niveau
            when 'commune' then c.commune_population
            when 'epci' then e.population
        end as territoire_population
    from candidatures c
    left join ref_epci e on e.siren = c.epci_siren
),

final as (
    select
        candidature_id,
        edition,
        territoire_niveau,
        territoire_population,
        heures_insertion / nullif(nb_participants, 0) as heures_par_participant,
        1000.0 * heures_insertion / nullif(territoire_population, 0)
            as heures_pour_1000_habitants,
        nb_femmes / nullif(nb_participants, 0) as part_femmes,
        nb_seniors / nullif(nb_participants, 0) as part_seniors,
        nb_residents_qpv / nullif(nb_participants, 0) as part_residents_qpv,
        nb_jeunes / nullif(nb_participants, 0) as part_jeunes,
        heures_insertion / nullif(heures_insertion_prevues, 0) as taux_realisation,
        heures_insertion / nullif(nb_marches_clauses, 0) as heures_par_marche
    from territoire
)

select * from final;
