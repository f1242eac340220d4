-- Jury day (issue 16): decisions carry a one-line justification, the edition may allow a
-- laureate ex æquo and special mentions, and the meeting records who was present.
-- DuckDB cannot alter a CHECK constraint: the table is rebuilt with the same rows.

create table selections_v2 (
    edition integer not null,
    categorie_code varchar not null,
    candidature_id varchar not null,
    niveau varchar not null
        check (niveau in ('preselection', 'laureat', 'ex_aequo', 'mention')),
    justification varchar,
    decide_par varchar not null,
    decide_le timestamptz not null default current_timestamp,
    primary key (edition, categorie_code, candidature_id)
);

insert into selections_v2
    (edition, categorie_code, candidature_id, niveau, decide_par, decide_le)
select edition, categorie_code, candidature_id, niveau, decide_par, decide_le
from selections;

drop table selections;

alter table selections_v2 rename to selections;

-- Grain: one juror present at the deliberation meeting of an edition (procès-verbal).
create table presences (
    edition integer not null,
    jure varchar not null,
    note_par varchar not null,
    note_le timestamptz not null default current_timestamp,
    primary key (edition, jure)
);
