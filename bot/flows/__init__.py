"""Conversation flows. Importing this package registers every flow's handlers on `bot.engine.router`."""
from bot.flows import basic
from bot.flows import onboarding
from bot.flows import intake
from bot.flows import checks
from bot.flows import qa
from bot.flows import drafting
from bot.flows import province
