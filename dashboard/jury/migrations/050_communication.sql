-- Communication highlights (issue 6): what the communication team puts forward.
-- Grain: one highlight of one edition, on a candidature (« Coup de cœur », « Citation »)
-- or on one key figure of the edition (« Chiffre marquant », code of
-- dashboard.press.figures). Deleting a highlight is allowed (it is an editorial choice,
-- not a jury decision); who wrote it and when stay on the row while it exists.
create sequence mises_en_avant_id;

create table mises_en_avant (
    id bigint primary key default nextval('mises_en_avant_id'),
    edition integer not null,
    type varchar not null check (type in ('coup_de_coeur', 'chiffre_marquant', 'citation')),
    candidature_id varchar,
    chiffre_code varchar,
    texte varchar not null check (length(texte) between 1 and 280),
    auteur varchar not null,
    horodatage timestamptz not null default current_timestamp,
    check (candidature_id is not null or chiffre_code is not null),
    check (type <> 'chiffre_marquant' or chiffre_code is not null)
);
