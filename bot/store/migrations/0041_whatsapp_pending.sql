-- A message accepted but not yet answered keeps its content here, so that an answer cut off
-- by a crash is given at the next start; it is cleared as soon as the message is answered.
ALTER TABLE whatsapp_inbound ADD COLUMN pending TEXT;
