"""coursebot's shipped data (read with bot.core.resources): the starter course, domain lists, weights."""
