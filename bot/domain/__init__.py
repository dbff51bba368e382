"""Domain: the types every layer speaks — messages in and out, intents, roles, understanding.

Plain frozen dataclasses and enums with no behaviour beyond validation. Imports the standard
library only; everything else in the project may import it.
"""
