"""Conversation flows. Importing this package registers every flow's handlers on `bot.engine.router`."""
from bot.flows import basic  # noqa: F401
from bot.flows import onboarding  # noqa: F401
from bot.flows import intake  # noqa: F401
from bot.flows import checks  # noqa: F401
from bot.flows import qa  # noqa: F401
from bot.flows import drafting  # noqa: F401
