-- Grain: one row per current candidature x category it applies to, with its eligibility
-- for that category (structure rules, and the rural test for the rural prize). For a
-- corrected candidature, the verdicts derived again from the corrected answers and the
-- organiser's decision (`decision_organisateur`, the computed verdict in
-- `eligible_calcule`); withdrawn and merged candidatures are left out (as in
-- `candidatures`).
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
    rural_statut,
    eligible_calcule,
    decision_organisateur
from (
    select
        c.*,
        c.eligible as eligible_calcule,
        null::varchar as decision_organisateur
    from categories_reponses c
    where c.statut_version = 'courante'
      and c.candidature_id not in (select candidature_id from reponses_corrigees)
    union all by name
    select * from categories_corrigees
)
where candidature_id in (select candidature_id from candidatures);
