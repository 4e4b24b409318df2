"""The shared kernel every feature uses: clock, user-facing errors, text, Discord limits, cards, paging,
shipped resources and the ports through which features reach each other. Imports no discord."""
