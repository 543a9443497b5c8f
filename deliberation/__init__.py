"""The cycle 三会一评: opinions, topics, meetings, decisions, reviews (built from issue 4 on)."""
