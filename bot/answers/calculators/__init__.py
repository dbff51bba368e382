"""Pure calculators over facts: contributions, benefits, pension age (no I/O, no wording).

Every function takes `Fact` values (so each result line keeps the rule it applied, for the
citation) and returns frozen dataclasses that handlers render.
"""
