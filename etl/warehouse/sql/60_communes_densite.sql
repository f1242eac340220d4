-- Grain: one row per current commune (ref_communes): its density class, for rural/urban
-- comparisons (notebooks, analyses). Defined once here.
--
-- logic:   an approximation, at commune level, of the four levels of INSEE's « grille
--          communale de densité », whose official version works on 1 km² cells and
--          clusters (not reproducible from the reference tables). The cell thresholds
--          are applied to the commune's own density (population légale 2023 ÷ area):
--            1 densément peuplée    ≥ 1 500 hab./km²
--            2 densité intermédiaire ≥ 300 hab./km²
--            3 peu dense             ≥ 25 hab./km²
--            4 très peu dense        < 25 hab./km²
--          « rural » = levels 3 and 4, « urbain » = levels 1 and 2 (INSEE's definition of
--          rural since 2020: communes peu denses ou très peu denses). A commune without an
--          area (no outline) has no class (NULL).
create or replace view communes_densite as
select
    code,
    nom,
    departement_code,
    region_code,
    population,
    densite,
    case
        when densite is null then null
        when densite >= 1500 then 1
        when densite >= 300 then 2
        when densite >= 25 then 3
        else 4
    end as niveau_densite,
    case
        when densite is null then null
        when densite >= 1500 then 'densément peuplée'
        when densite >= 300 then 'densité intermédiaire'
        when densite >= 25 then 'peu dense'
        else 'très peu dense'
    end as classe_densite,
    case
        when densite is null then null
        when densite >= 300 then 'urbain'
        else 'rural'
    end as urbain_rural
from ref_communes;
