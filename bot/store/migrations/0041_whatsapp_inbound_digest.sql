-- Inbound WhatsApp message ids are kept as SHA-256 digests: Meta's ids are base64 with the
-- sender's phone number inside, and they stay up to 30 days (also after /hapusdata).
-- sha256_hex() is registered on the connection by bot/store/database.py.
UPDATE whatsapp_inbound SET wamid = sha256_hex(wamid);
