-- Feedback letters (issue 18): jury comments are private to the jury unless the admin
-- chooses to quote one, anonymously, in the candidate's letter.
-- Grain: one shared comment of one score; critere_code = '' is the score's overall
-- comment, otherwise the comment of that criterion. Unsharing deletes the row (the audit
-- log keeps both actions).
create table commentaires_partages (
    edition integer not null,
    categorie_code varchar not null,
    candidature_id varchar not null,
    jure varchar not null,
    critere_code varchar not null,
    partage_par varchar not null,
    partage_le timestamptz not null default current_timestamp,
    primary key (edition, categorie_code, candidature_id, jure, critere_code)
);
