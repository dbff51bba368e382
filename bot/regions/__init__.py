"""Place names: folding names for matching and finding regions named in a message."""
