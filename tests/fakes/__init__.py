"""Local fake Bot API servers (Telegram, Zalo) that tests run the real channel code against."""
