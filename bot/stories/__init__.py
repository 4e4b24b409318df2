"""Learner stories: what they tried, what worked, what did not; reviewed by moderators, then published."""
