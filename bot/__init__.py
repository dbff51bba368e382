"""jamsosbot: answers Indonesian questions about BPJS Ketenagakerjaan on Telegram and WhatsApp."""
