"""CLI subcommands, one module per group; each exposes `register(subparsers)`.

May import everything below the CLI (`bot.runtime`, `bot.web`, `bot.app` and the layers under
them). Adding a group: write its module, then list it in `bot.cli.COMMAND_GROUPS`.
"""
