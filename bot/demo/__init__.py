"""The offline demo: the real bot against SimCord's in-memory Discord, shown in a browser."""
