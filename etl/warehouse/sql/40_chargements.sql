-- Grain: one row per loaded source file (edition, file name): its lineage and counts.
-- lignes_lues = lignes_chargees + lignes_rejetees + doublons.
create or replace view chargements as
select fichier, sha256, edition, encodage, separateur, fin_de_ligne, champs_multilignes,
       correspondance, lignes_lues,
       lignes_chargees, lignes_rejetees, doublons, erreurs, avertissements, fictif, charge_le,
       champs_obligatoires
from chargements_table;
