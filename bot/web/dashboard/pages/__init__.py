"""One module per dashboard page; each has `routes(site)`."""
