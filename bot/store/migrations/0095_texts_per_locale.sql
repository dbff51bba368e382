-- Staff-written texts per language, one row each: FAQ answers and announcement texts. A new
-- language (jv) is new rows, never a new column. The old columns (faqs.answer_id/answer_en,
-- broadcasts.text_id/text_en) stay, written by the code that predates this table; triggers
-- copy what they hold into the rows, so the rows are always complete. Indonesian is the
-- required text; the others are optional translations.

CREATE TABLE faq_answers (
    faq_id INTEGER NOT NULL REFERENCES faqs (id) ON DELETE CASCADE,
    locale TEXT NOT NULL CHECK (length(locale) BETWEEN 2 AND 3 AND locale = lower(locale)),
    text TEXT NOT NULL CHECK (text <> ''),
    PRIMARY KEY (faq_id, locale)
) WITHOUT ROWID;

CREATE TABLE broadcast_texts (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    locale TEXT NOT NULL CHECK (length(locale) BETWEEN 2 AND 3 AND locale = lower(locale)),
    text TEXT NOT NULL CHECK (text <> ''),
    PRIMARY KEY (broadcast_id, locale)
) WITHOUT ROWID;

INSERT INTO faq_answers (faq_id, locale, text)
    SELECT id, 'id', answer_id FROM faqs WHERE answer_id <> '';
INSERT INTO faq_answers (faq_id, locale, text)
    SELECT id, 'en', answer_en FROM faqs WHERE answer_en <> '';
INSERT INTO broadcast_texts (broadcast_id, locale, text)
    SELECT id, 'id', text_id FROM broadcasts WHERE text_id <> '';
INSERT INTO broadcast_texts (broadcast_id, locale, text)
    SELECT id, 'en', text_en FROM broadcasts WHERE coalesce(text_en, '') <> '';

CREATE TRIGGER faq_answers_on_insert AFTER INSERT ON faqs BEGIN
    INSERT INTO faq_answers (faq_id, locale, text)
        SELECT NEW.id, 'id', NEW.answer_id WHERE NEW.answer_id <> '';
    INSERT INTO faq_answers (faq_id, locale, text)
        SELECT NEW.id, 'en', NEW.answer_en WHERE NEW.answer_en <> '';
END;

CREATE TRIGGER faq_answers_on_update AFTER UPDATE OF answer_id, answer_en ON faqs BEGIN
    DELETE FROM faq_answers WHERE faq_id = NEW.id AND locale IN ('id', 'en');
    INSERT INTO faq_answers (faq_id, locale, text)
        SELECT NEW.id, 'id', NEW.answer_id WHERE NEW.answer_id <> '';
    INSERT INTO faq_answers (faq_id, locale, text)
        SELECT NEW.id, 'en', NEW.answer_en WHERE NEW.answer_en <> '';
END;

CREATE TRIGGER broadcast_texts_on_insert AFTER INSERT ON broadcasts BEGIN
    INSERT INTO broadcast_texts (broadcast_id, locale, text)
        SELECT NEW.id, 'id', NEW.text_id WHERE NEW.text_id <> '';
    INSERT INTO broadcast_texts (broadcast_id, locale, text)
        SELECT NEW.id, 'en', NEW.text_en WHERE coalesce(NEW.text_en, '') <> '';
END;

CREATE TRIGGER broadcast_texts_on_update AFTER UPDATE OF text_id, text_en ON broadcasts BEGIN
    DELETE FROM broadcast_texts WHERE broadcast_id = NEW.id AND locale IN ('id', 'en');
    INSERT INTO broadcast_texts (broadcast_id, locale, text)
        SELECT NEW.id, 'id', NEW.text_id WHERE NEW.text_id <> '';
    INSERT INTO broadcast_texts (broadcast_id, locale, text)
        SELECT NEW.id, 'en', NEW.text_en WHERE coalesce(NEW.text_en, '') <> '';
END;
