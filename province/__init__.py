"""The province and its communes: unit hierarchy, completeness, roll-up, reminders and export.

Domain code (no chat): reads units and reports through db/repo, returns plain values. The chat side is
bot/flows/province.py; the province draft is drafting/province_*.py.
"""
