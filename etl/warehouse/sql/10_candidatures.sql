-- Grain: one row per current candidature (latest version of a respondent's project),
-- across editions. Contacts (personal data) live in the `contacts` table, never here.
-- Every field of every configured edition is a column (NULL where a form did not ask it):
-- the warehouse contract, etl/warehouse/contract.py. The identity keys stay in `reponses`.
-- The organiser's corrections (etl/warehouse/corrected.py): a corrected candidature is read
-- from `reponses_corrigees` (`corrige` true), the others from `reponses` as loaded; a
-- candidature withdrawn or merged into another is out of every figure and every queue
-- (view `candidatures_ecartees` keeps them for the record).
create or replace view candidatures_toutes as
select
    candidature_id,
    edition,
    horodateur as date_depot,
    * exclude (
        candidature_id, edition, horodateur, statut_version,
        cle_projet, id_si_premiere
    )
from (
    select
        r.*,
        false as corrige,
        null::varchar as statut_correction,
        null::varchar as fusionnee_dans
    from reponses r
    where r.statut_version = 'courante'
      and r.candidature_id not in (select candidature_id from reponses_corrigees)
    union all by name
    select * from reponses_corrigees
);

create or replace view candidatures as
select * exclude (statut_correction, fusionnee_dans)
from candidatures_toutes
where statut_correction is null;

create or replace view candidatures_ecartees as
select candidature_id, edition, structure_nom, projet_titre, statut_correction, fusionnee_dans
from candidatures_toutes
where statut_correction is not null;
