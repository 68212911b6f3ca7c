"""Conversation flows. Importing this package registers every flow's handlers on `bot.engine.router`, in the
order /help and the Telegram menu list their commands (the officer's working order)."""
from bot.flows import basic
from bot.flows import intake
from bot.flows import quick_form
from bot.flows import report_import
from bot.flows import checks
from bot.flows import drafting
from bot.flows import templates  # before qa: its file handler takes a past report sent after /maubaocao học
from bot.flows import unit_indicators
from bot.flows import province
from bot.flows import qa
from bot.flows import onboarding
