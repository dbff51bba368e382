-- PostgreSQL twin of ../0095_texts_per_locale.sql (triggers are written differently).
-- Staff-written texts per language, one row each: FAQ answers and announcement texts. A new
-- language (jv) is new rows, never a new column. The old columns (faqs.answer_id/answer_en,
-- broadcasts.text_id/text_en) stay, written by the code that predates this table; triggers
-- copy what they hold into the rows, so the rows are always complete. Indonesian is the
-- required text; the others are optional translations.

CREATE TABLE faq_answers (
    faq_id BIGINT NOT NULL REFERENCES faqs (id) ON DELETE CASCADE,
    locale TEXT NOT NULL CHECK (length(locale) BETWEEN 2 AND 3 AND locale = lower(locale)),
    text TEXT NOT NULL CHECK (text <> ''),
    PRIMARY KEY (faq_id, locale)
);

CREATE TABLE broadcast_texts (
    broadcast_id BIGINT NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    locale TEXT NOT NULL CHECK (length(locale) BETWEEN 2 AND 3 AND locale = lower(locale)),
    text TEXT NOT NULL CHECK (text <> ''),
    PRIMARY KEY (broadcast_id, locale)
);

INSERT INTO faq_answers (faq_id, locale, text)
    SELECT id, 'id', answer_id FROM faqs WHERE answer_id <> '';
INSERT INTO faq_answers (faq_id, locale, text)
    SELECT id, 'en', answer_en FROM faqs WHERE answer_en <> '';
INSERT INTO broadcast_texts (broadcast_id, locale, text)
    SELECT id, 'id', text_id FROM broadcasts WHERE text_id <> '';
INSERT INTO broadcast_texts (broadcast_id, locale, text)
    SELECT id, 'en', text_en FROM broadcasts WHERE coalesce(text_en, '') <> '';

-- Insert and update alike: the Indonesian and English rows follow the old columns.
CREATE FUNCTION faq_answers_from_columns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM faq_answers WHERE faq_id = NEW.id AND locale IN ('id', 'en');
    END IF;
    INSERT INTO faq_answers (faq_id, locale, text)
        SELECT NEW.id, 'id', NEW.answer_id WHERE NEW.answer_id <> '';
    INSERT INTO faq_answers (faq_id, locale, text)
        SELECT NEW.id, 'en', NEW.answer_en WHERE NEW.answer_en <> '';
    RETURN NEW;
END $$;

CREATE TRIGGER faq_answers_on_insert AFTER INSERT ON faqs
FOR EACH ROW EXECUTE FUNCTION faq_answers_from_columns();
CREATE TRIGGER faq_answers_on_update AFTER UPDATE OF answer_id, answer_en ON faqs
FOR EACH ROW EXECUTE FUNCTION faq_answers_from_columns();

CREATE FUNCTION broadcast_texts_from_columns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM broadcast_texts WHERE broadcast_id = NEW.id AND locale IN ('id', 'en');
    END IF;
    INSERT INTO broadcast_texts (broadcast_id, locale, text)
        SELECT NEW.id, 'id', NEW.text_id WHERE NEW.text_id <> '';
    INSERT INTO broadcast_texts (broadcast_id, locale, text)
        SELECT NEW.id, 'en', NEW.text_en WHERE coalesce(NEW.text_en, '') <> '';
    RETURN NEW;
END $$;

CREATE TRIGGER broadcast_texts_on_insert AFTER INSERT ON broadcasts
FOR EACH ROW EXECUTE FUNCTION broadcast_texts_from_columns();
CREATE TRIGGER broadcast_texts_on_update AFTER UPDATE OF text_id, text_en ON broadcasts
FOR EACH ROW EXECUTE FUNCTION broadcast_texts_from_columns();
