-- Grain: one row per problem found in an input line (or header, ligne = 1): errors that
-- removed a value or a line, warnings kept and flagged, duplicates and superseded versions.
create or replace view rejets as
select fichier, edition, ligne, colonne, champ, valeur, regle, message, severite, rejette_ligne
from problemes;
