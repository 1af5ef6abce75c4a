"""Built-in functions that only one county's rules use, one module per county."""
