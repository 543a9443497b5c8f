"""Polls, ballots and their verification (built in issue 6)."""
