"""Privacy: what the bot keeps about members, and forgetting it on request or when a server is left."""
