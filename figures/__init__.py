"""Domain logic on figures: reporting periods, the Vietnamese figure parser, the checks engine."""
