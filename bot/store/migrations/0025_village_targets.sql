-- Village registration targets for vulnerable workers (pekerja rentan), imported by staff.
-- One row per village, year and as-of date: a newer `as_of` adds a row, so the progress of a
-- village over time stays visible; the same row imported again changes nothing.
CREATE TABLE village_targets (
    village_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    regency_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    target INTEGER NOT NULL CHECK (target >= 0),
    registered INTEGER NOT NULL CHECK (registered >= 0),
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (village_code, year, as_of)
) WITHOUT ROWID;
CREATE INDEX village_targets_district ON village_targets (district_code, year, as_of);
CREATE INDEX village_targets_regency ON village_targets (regency_code, year, as_of);
