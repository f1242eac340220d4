-- Grain: one row per current candidature (latest version of a respondent's project),
-- across editions. Contacts (personal data) live in the `contacts` table, never here.
create or replace view candidatures as
select
    candidature_id,
    edition,
    horodateur as date_depot,
    * exclude (candidature_id, edition, horodateur, statut_version)
from reponses
where statut_version = 'courante';
