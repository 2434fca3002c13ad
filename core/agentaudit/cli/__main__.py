"""`python -m agentaudit.cli`: the command line without `agentaudit.__main__`'s hook fast lane."""

from agentaudit.cli import main

main()
