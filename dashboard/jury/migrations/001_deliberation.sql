-- Jury work of every edition, keyed by the warehouse's stable candidature ids
-- (« édition-empreinte »): a warehouse reload never changes them, so nothing here is lost.
-- Times are stored as timestamptz (UTC instants).

-- Grain: one juror assigned to one category of one edition.
create table affectations (
    edition integer not null,
    categorie_code varchar not null,
    jure varchar not null,
    affecte_par varchar not null,
    affecte_le timestamptz not null default current_timestamp,
    primary key (edition, categorie_code, jure)
);

-- Grain: one (possible) conflict of interest between a juror and a candidature.
-- origine: declaration (by the juror) or suggestion (rules of config/jury.toml);
-- statut: en_attente, confirme (recusal) or rejete, decided by an admin.
create table conflits (
    edition integer not null,
    candidature_id varchar not null,
    jure varchar not null,
    origine varchar not null check (origine in ('declaration', 'suggestion')),
    motif varchar not null,
    statut varchar not null check (statut in ('en_attente', 'confirme', 'rejete')),
    signale_par varchar not null,
    signale_le timestamptz not null default current_timestamp,
    decide_par varchar,
    decide_le timestamptz,
    primary key (edition, candidature_id, jure)
);

-- Grain: one juror's score of one candidature in one category.
-- note: weighted mean of the criteria on the edition's scale (null when abstaining or
-- while a draft is incomplete); statut soumise = locked until an admin reopens it.
create table notes (
    edition integer not null,
    categorie_code varchar not null,
    candidature_id varchar not null,
    jure varchar not null,
    statut varchar not null check (statut in ('brouillon', 'soumise')),
    abstention boolean not null default false,
    note double,
    commentaire varchar,
    modifiee_le timestamptz not null default current_timestamp,
    soumise_le timestamptz,
    primary key (edition, categorie_code, candidature_id, jure)
);

-- Grain: one criterion of one score (value on the scale, comment).
create table notes_criteres (
    edition integer not null,
    categorie_code varchar not null,
    candidature_id varchar not null,
    jure varchar not null,
    critere_code varchar not null,
    valeur integer,
    commentaire varchar,
    primary key (edition, categorie_code, candidature_id, jure, critere_code)
);

-- Grain: one candidature the jury shortlisted (preselection) or crowned (laureat).
create table selections (
    edition integer not null,
    categorie_code varchar not null,
    candidature_id varchar not null,
    niveau varchar not null check (niveau in ('preselection', 'laureat')),
    decide_par varchar not null,
    decide_le timestamptz not null default current_timestamp,
    primary key (edition, categorie_code, candidature_id)
);

create sequence notes_deliberation_id;

-- Grain: one note written during the deliberation of a category.
create table notes_deliberation (
    id bigint primary key default nextval('notes_deliberation_id'),
    edition integer not null,
    categorie_code varchar not null,
    auteur varchar not null,
    texte varchar not null,
    cree_le timestamptz not null default current_timestamp
);

create sequence journal_id;

-- Grain: one action of someone in the app (append-only audit log).
create table journal (
    id bigint primary key default nextval('journal_id'),
    horodatage timestamptz not null default current_timestamp,
    acteur varchar not null,
    action varchar not null,
    cible varchar,
    detail varchar
);

-- Grain: one effective recusal (the juror neither sees nor weighs on the candidature):
-- confirmed by an admin, or declared by the juror and not rejected yet. A suggestion
-- recuses nobody until confirmed.
create view recusations as
select edition, candidature_id, jure
from conflits
where statut = 'confirme' or (origine = 'declaration' and statut = 'en_attente');
