-- The region a question named (a village, district, regency or province code from the
-- understood slots), so staff statistics can place askers whose own region is not known.
ALTER TABLE questions ADD COLUMN region_code TEXT;
