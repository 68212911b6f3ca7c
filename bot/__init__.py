"""Channels (console, Telegram, Zalo) and the channel-neutral conversation engine."""
