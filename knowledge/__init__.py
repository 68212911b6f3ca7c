"""Data the rest reads: the indicator catalogue, directive profiles, document templates."""
