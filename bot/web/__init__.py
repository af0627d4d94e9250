"""The pages: a web chat widget (socket.io to the Rasa server) and the 12345 hotline helper (`python -m
bot.web`)."""
