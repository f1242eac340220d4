-- Grain: one row per current candidature x category it applies to, with its eligibility
-- for that category (structure rules, and the rural test for the rural prize).
create or replace view candidature_categories as
select
    candidature_id,
    edition,
    categorie_code,
    eligible,
    motifs,
    cas_limite,
    rural_commune,
    rural_departement,
    rural_eligible,
    rural_statut
from categories_reponses
where statut_version = 'courante';
