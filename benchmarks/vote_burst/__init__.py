"""The vote-burst benchmark (issue 6): see README.md and run.py."""
