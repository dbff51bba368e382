-- The Kemendagri gazetteer: provinces, regencies/cities, districts and villages, one table.
-- `search_name` is the name folded for matching (lower case, no accents or punctuation, no
-- "Kabupaten"/"Kota"/"Provinsi" prefix); the shipped CSVs fill it at first start.

CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'regency', 'district', 'village')),
    parent_code TEXT,
    search_name TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX regions_parent ON regions (parent_code);
CREATE INDEX regions_search ON regions (search_name, level);
