"""Staff imports: spreadsheet (CSV or xlsx) → validated rows → store, with a row-level report.

`bot.imports.runner.import_file` is the one entry point, shared by the CLI
(`jamsosbot import ...`) and the chat upload (`handlers/imports.py`).
"""
