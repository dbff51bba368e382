-- Participation figures per region and year (PU, BPU, coverage %, budget for vulnerable
-- workers), as reported by their source; empty where a figure is not known.
-- `origin` is 'seed' for the shipped rows, 'import' for staff imports (which win).

CREATE TABLE coverage (
    region_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    pu INTEGER,
    bpu INTEGER,
    coverage_percent TEXT,
    budget_rp INTEGER,
    vulnerable_funded INTEGER,
    source TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'import',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (region_code, year)
);
CREATE INDEX coverage_year ON coverage (year, region_code);
