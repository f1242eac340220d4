-- Grain: one row per current candidature (latest version of a respondent's project),
-- across editions. Contacts (personal data) live in the `contacts` table, never here.
-- Every field of every configured edition is a column (NULL where a form did not ask it):
-- the warehouse contract, etl/warehouse/contract.py. The identity keys stay in `reponses`.
create or replace view candidatures as
select
    candidature_id,
    edition,
    horodateur as date_depot,
    * exclude (
        candidature_id, edition, horodateur, statut_version,
        cle_projet, id_si_premiere
    )
from reponses
where statut_version = 'courante';
