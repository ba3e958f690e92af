-- 0016 HUD FY2026 universal data elements, PostgreSQL flavour (migrations/sqlite/0016_hud_codes.sql
-- holds the same for the other backend).
--
-- Every new column holds the stored text of a `shared::hud` code list (its `as_str`, which is also
-- its JSON name; HUD's integer code is `code()`, for HMIS CSV). NULL means not recorded. No CHECK
-- constraints: the lists live in `shared` only, and a value outside them fails to read (a decode
-- error), never passes as a guess. docs/decisions.md has the mapping of the old free texts.

-- Intake: 3.01.5 name data quality, Sex (FY2026 4.21) and 3.07 veteran status. Gender stays, as a
-- local optional free-text element.
ALTER TABLE clients ADD COLUMN name_data_quality TEXT;
ALTER TABLE clients ADD COLUMN sex TEXT;
ALTER TABLE clients ADD COLUMN veteran_status TEXT;

-- Existing clients: their name's quality and veteran status were never asked, so "data not
-- collected" (99). Sex from the gender text only where it says female or male in so many words
-- (a gender identity is not a sex; anything else is 99, and the gender text is kept as it is).
UPDATE clients SET
    name_data_quality = 'data_not_collected',
    veteran_status = 'data_not_collected',
    sex = CASE
        WHEN lower(trim(gender)) IN ('female', 'woman', 'f', 'w', 'girl') THEN 'female'
        WHEN lower(trim(gender)) IN ('male', 'man', 'm', 'boy') THEN 'male'
        ELSE 'data_not_collected'
    END;

-- Demographics: 3.04 race and ethnicity as one multi-select (the stored texts joined by commas,
-- e.g. 'asian,white'; `shared::hud::RaceEthnicitySet`) and 3.04.2 additional detail. The old
-- free-text columns `race` and `ethnicity` stay, read-only (the API's `legacy_race` and
-- `legacy_ethnicity`), so no answer is lost (P-3); a later PUT replaces them like every other
-- answer, the old set kept in record_history.
ALTER TABLE demographics ADD COLUMN race_ethnicity TEXT;
ALTER TABLE demographics ADD COLUMN additional_race_ethnicity TEXT;

UPDATE demographics SET race_ethnicity = CASE
    -- Nothing was recorded: nothing is.
    WHEN race IS NULL AND ethnicity IS NULL THEN NULL
    -- A race that matched, with Hispanic/Latina/e/o added when the ethnicity said so.
    WHEN (CASE
            WHEN lower(trim(race)) IN ('american indian, alaska native, or indigenous', 'american indian or alaska native', 'american indian/alaska native', 'american indian', 'alaska native', 'indigenous') THEN 'am_ind_ak_native'
            WHEN lower(trim(race)) IN ('asian or asian american', 'asian american', 'asian') THEN 'asian'
            WHEN lower(trim(race)) IN ('black, african american, or african', 'black or african american', 'black/african american', 'african american', 'black') THEN 'black_af_american'
            WHEN lower(trim(race)) IN ('native hawaiian or pacific islander', 'native hawaiian or other pacific islander', 'native hawaiian/pacific islander', 'native hawaiian', 'pacific islander') THEN 'native_hi_pacific'
            WHEN lower(trim(race)) IN ('white', 'caucasian') THEN 'white'
            WHEN lower(trim(race)) IN ('hispanic/latina/e/o', 'hispanic/latino', 'hispanic or latino', 'hispanic', 'latino', 'latina', 'latine', 'latinx') THEN 'hispanic_latinaeo'
            WHEN lower(trim(race)) IN ('middle eastern or north african', 'middle eastern', 'north african') THEN 'mid_east_n_african'
            WHEN lower(trim(race)) IN ('client doesn''t know', 'client doesnt know', 'don''t know', 'unknown') THEN 'client_doesnt_know'
            WHEN lower(trim(race)) IN ('client prefers not to answer', 'client refused', 'refused', 'prefers not to answer') THEN 'client_prefers_not_to_answer'
            WHEN lower(trim(race)) IN ('data not collected', 'not collected') THEN 'data_not_collected'
            ELSE NULL END) IS NOT NULL AND (CASE
            WHEN lower(trim(race)) IN ('american indian, alaska native, or indigenous', 'american indian or alaska native', 'american indian/alaska native', 'american indian', 'alaska native', 'indigenous') THEN 'am_ind_ak_native'
            WHEN lower(trim(race)) IN ('asian or asian american', 'asian american', 'asian') THEN 'asian'
            WHEN lower(trim(race)) IN ('black, african american, or african', 'black or african american', 'black/african american', 'african american', 'black') THEN 'black_af_american'
            WHEN lower(trim(race)) IN ('native hawaiian or pacific islander', 'native hawaiian or other pacific islander', 'native hawaiian/pacific islander', 'native hawaiian', 'pacific islander') THEN 'native_hi_pacific'
            WHEN lower(trim(race)) IN ('white', 'caucasian') THEN 'white'
            WHEN lower(trim(race)) IN ('hispanic/latina/e/o', 'hispanic/latino', 'hispanic or latino', 'hispanic', 'latino', 'latina', 'latine', 'latinx') THEN 'hispanic_latinaeo'
            WHEN lower(trim(race)) IN ('middle eastern or north african', 'middle eastern', 'north african') THEN 'mid_east_n_african'
            WHEN lower(trim(race)) IN ('client doesn''t know', 'client doesnt know', 'don''t know', 'unknown') THEN 'client_doesnt_know'
            WHEN lower(trim(race)) IN ('client prefers not to answer', 'client refused', 'refused', 'prefers not to answer') THEN 'client_prefers_not_to_answer'
            WHEN lower(trim(race)) IN ('data not collected', 'not collected') THEN 'data_not_collected'
            ELSE NULL END) NOT IN ('client_doesnt_know', 'client_prefers_not_to_answer', 'data_not_collected') AND (lower(trim(ethnicity)) IN ('hispanic/latina/e/o', 'hispanic/latino', 'hispanic or latino', 'hispanic', 'latino', 'latina', 'latine', 'latinx'))
        THEN (CASE
            WHEN lower(trim(race)) IN ('american indian, alaska native, or indigenous', 'american indian or alaska native', 'american indian/alaska native', 'american indian', 'alaska native', 'indigenous') THEN 'am_ind_ak_native'
            WHEN lower(trim(race)) IN ('asian or asian american', 'asian american', 'asian') THEN 'asian'
            WHEN lower(trim(race)) IN ('black, african american, or african', 'black or african american', 'black/african american', 'african american', 'black') THEN 'black_af_american'
            WHEN lower(trim(race)) IN ('native hawaiian or pacific islander', 'native hawaiian or other pacific islander', 'native hawaiian/pacific islander', 'native hawaiian', 'pacific islander') THEN 'native_hi_pacific'
            WHEN lower(trim(race)) IN ('white', 'caucasian') THEN 'white'
            WHEN lower(trim(race)) IN ('hispanic/latina/e/o', 'hispanic/latino', 'hispanic or latino', 'hispanic', 'latino', 'latina', 'latine', 'latinx') THEN 'hispanic_latinaeo'
            WHEN lower(trim(race)) IN ('middle eastern or north african', 'middle eastern', 'north african') THEN 'mid_east_n_african'
            WHEN lower(trim(race)) IN ('client doesn''t know', 'client doesnt know', 'don''t know', 'unknown') THEN 'client_doesnt_know'
            WHEN lower(trim(race)) IN ('client prefers not to answer', 'client refused', 'refused', 'prefers not to answer') THEN 'client_prefers_not_to_answer'
            WHEN lower(trim(race)) IN ('data not collected', 'not collected') THEN 'data_not_collected'
            ELSE NULL END) || ',hispanic_latinaeo'
    WHEN (CASE
            WHEN lower(trim(race)) IN ('american indian, alaska native, or indigenous', 'american indian or alaska native', 'american indian/alaska native', 'american indian', 'alaska native', 'indigenous') THEN 'am_ind_ak_native'
            WHEN lower(trim(race)) IN ('asian or asian american', 'asian american', 'asian') THEN 'asian'
            WHEN lower(trim(race)) IN ('black, african american, or african', 'black or african american', 'black/african american', 'african american', 'black') THEN 'black_af_american'
            WHEN lower(trim(race)) IN ('native hawaiian or pacific islander', 'native hawaiian or other pacific islander', 'native hawaiian/pacific islander', 'native hawaiian', 'pacific islander') THEN 'native_hi_pacific'
            WHEN lower(trim(race)) IN ('white', 'caucasian') THEN 'white'
            WHEN lower(trim(race)) IN ('hispanic/latina/e/o', 'hispanic/latino', 'hispanic or latino', 'hispanic', 'latino', 'latina', 'latine', 'latinx') THEN 'hispanic_latinaeo'
            WHEN lower(trim(race)) IN ('middle eastern or north african', 'middle eastern', 'north african') THEN 'mid_east_n_african'
            WHEN lower(trim(race)) IN ('client doesn''t know', 'client doesnt know', 'don''t know', 'unknown') THEN 'client_doesnt_know'
            WHEN lower(trim(race)) IN ('client prefers not to answer', 'client refused', 'refused', 'prefers not to answer') THEN 'client_prefers_not_to_answer'
            WHEN lower(trim(race)) IN ('data not collected', 'not collected') THEN 'data_not_collected'
            ELSE NULL END) IS NOT NULL AND (CASE
            WHEN lower(trim(race)) IN ('american indian, alaska native, or indigenous', 'american indian or alaska native', 'american indian/alaska native', 'american indian', 'alaska native', 'indigenous') THEN 'am_ind_ak_native'
            WHEN lower(trim(race)) IN ('asian or asian american', 'asian american', 'asian') THEN 'asian'
            WHEN lower(trim(race)) IN ('black, african american, or african', 'black or african american', 'black/african american', 'african american', 'black') THEN 'black_af_american'
            WHEN lower(trim(race)) IN ('native hawaiian or pacific islander', 'native hawaiian or other pacific islander', 'native hawaiian/pacific islander', 'native hawaiian', 'pacific islander') THEN 'native_hi_pacific'
            WHEN lower(trim(race)) IN ('white', 'caucasian') THEN 'white'
            WHEN lower(trim(race)) IN ('hispanic/latina/e/o', 'hispanic/latino', 'hispanic or latino', 'hispanic', 'latino', 'latina', 'latine', 'latinx') THEN 'hispanic_latinaeo'
            WHEN lower(trim(race)) IN ('middle eastern or north african', 'middle eastern', 'north african') THEN 'mid_east_n_african'
            WHEN lower(trim(race)) IN ('client doesn''t know', 'client doesnt know', 'don''t know', 'unknown') THEN 'client_doesnt_know'
            WHEN lower(trim(race)) IN ('client prefers not to answer', 'client refused', 'refused', 'prefers not to answer') THEN 'client_prefers_not_to_answer'
            WHEN lower(trim(race)) IN ('data not collected', 'not collected') THEN 'data_not_collected'
            ELSE NULL END) NOT IN ('client_doesnt_know', 'client_prefers_not_to_answer', 'data_not_collected') THEN (CASE
            WHEN lower(trim(race)) IN ('american indian, alaska native, or indigenous', 'american indian or alaska native', 'american indian/alaska native', 'american indian', 'alaska native', 'indigenous') THEN 'am_ind_ak_native'
            WHEN lower(trim(race)) IN ('asian or asian american', 'asian american', 'asian') THEN 'asian'
            WHEN lower(trim(race)) IN ('black, african american, or african', 'black or african american', 'black/african american', 'african american', 'black') THEN 'black_af_american'
            WHEN lower(trim(race)) IN ('native hawaiian or pacific islander', 'native hawaiian or other pacific islander', 'native hawaiian/pacific islander', 'native hawaiian', 'pacific islander') THEN 'native_hi_pacific'
            WHEN lower(trim(race)) IN ('white', 'caucasian') THEN 'white'
            WHEN lower(trim(race)) IN ('hispanic/latina/e/o', 'hispanic/latino', 'hispanic or latino', 'hispanic', 'latino', 'latina', 'latine', 'latinx') THEN 'hispanic_latinaeo'
            WHEN lower(trim(race)) IN ('middle eastern or north african', 'middle eastern', 'north african') THEN 'mid_east_n_african'
            WHEN lower(trim(race)) IN ('client doesn''t know', 'client doesnt know', 'don''t know', 'unknown') THEN 'client_doesnt_know'
            WHEN lower(trim(race)) IN ('client prefers not to answer', 'client refused', 'refused', 'prefers not to answer') THEN 'client_prefers_not_to_answer'
            WHEN lower(trim(race)) IN ('data not collected', 'not collected') THEN 'data_not_collected'
            ELSE NULL END)
    -- No race (or a data-quality answer) but a Hispanic/Latina/e/o ethnicity.
    WHEN (lower(trim(ethnicity)) IN ('hispanic/latina/e/o', 'hispanic/latino', 'hispanic or latino', 'hispanic', 'latino', 'latina', 'latine', 'latinx')) THEN 'hispanic_latinaeo'
    -- A data-quality answer that matched.
    WHEN (CASE
            WHEN lower(trim(race)) IN ('american indian, alaska native, or indigenous', 'american indian or alaska native', 'american indian/alaska native', 'american indian', 'alaska native', 'indigenous') THEN 'am_ind_ak_native'
            WHEN lower(trim(race)) IN ('asian or asian american', 'asian american', 'asian') THEN 'asian'
            WHEN lower(trim(race)) IN ('black, african american, or african', 'black or african american', 'black/african american', 'african american', 'black') THEN 'black_af_american'
            WHEN lower(trim(race)) IN ('native hawaiian or pacific islander', 'native hawaiian or other pacific islander', 'native hawaiian/pacific islander', 'native hawaiian', 'pacific islander') THEN 'native_hi_pacific'
            WHEN lower(trim(race)) IN ('white', 'caucasian') THEN 'white'
            WHEN lower(trim(race)) IN ('hispanic/latina/e/o', 'hispanic/latino', 'hispanic or latino', 'hispanic', 'latino', 'latina', 'latine', 'latinx') THEN 'hispanic_latinaeo'
            WHEN lower(trim(race)) IN ('middle eastern or north african', 'middle eastern', 'north african') THEN 'mid_east_n_african'
            WHEN lower(trim(race)) IN ('client doesn''t know', 'client doesnt know', 'don''t know', 'unknown') THEN 'client_doesnt_know'
            WHEN lower(trim(race)) IN ('client prefers not to answer', 'client refused', 'refused', 'prefers not to answer') THEN 'client_prefers_not_to_answer'
            WHEN lower(trim(race)) IN ('data not collected', 'not collected') THEN 'data_not_collected'
            ELSE NULL END) IS NOT NULL THEN (CASE
            WHEN lower(trim(race)) IN ('american indian, alaska native, or indigenous', 'american indian or alaska native', 'american indian/alaska native', 'american indian', 'alaska native', 'indigenous') THEN 'am_ind_ak_native'
            WHEN lower(trim(race)) IN ('asian or asian american', 'asian american', 'asian') THEN 'asian'
            WHEN lower(trim(race)) IN ('black, african american, or african', 'black or african american', 'black/african american', 'african american', 'black') THEN 'black_af_american'
            WHEN lower(trim(race)) IN ('native hawaiian or pacific islander', 'native hawaiian or other pacific islander', 'native hawaiian/pacific islander', 'native hawaiian', 'pacific islander') THEN 'native_hi_pacific'
            WHEN lower(trim(race)) IN ('white', 'caucasian') THEN 'white'
            WHEN lower(trim(race)) IN ('hispanic/latina/e/o', 'hispanic/latino', 'hispanic or latino', 'hispanic', 'latino', 'latina', 'latine', 'latinx') THEN 'hispanic_latinaeo'
            WHEN lower(trim(race)) IN ('middle eastern or north african', 'middle eastern', 'north african') THEN 'mid_east_n_african'
            WHEN lower(trim(race)) IN ('client doesn''t know', 'client doesnt know', 'don''t know', 'unknown') THEN 'client_doesnt_know'
            WHEN lower(trim(race)) IN ('client prefers not to answer', 'client refused', 'refused', 'prefers not to answer') THEN 'client_prefers_not_to_answer'
            WHEN lower(trim(race)) IN ('data not collected', 'not collected') THEN 'data_not_collected'
            ELSE NULL END)
    -- Anything else: data not collected (the text stays in race / ethnicity).
    ELSE 'data_not_collected'
END;

-- Enrollments: 3.917 prior living situation and 3.08 disabling condition (at entry), 3.16
-- enrollment CoC ('NC-507'), 3.12 destination (at exit). Nothing to migrate: NULL, not recorded.
ALTER TABLE enrollments ADD COLUMN prior_living_situation TEXT;
ALTER TABLE enrollments ADD COLUMN disabling_condition TEXT;
ALTER TABLE enrollments ADD COLUMN enrollment_coc TEXT;
ALTER TABLE enrollments ADD COLUMN destination TEXT;
