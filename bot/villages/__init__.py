"""Village progress for village heads: names, the progress message, the village-fund helper."""
