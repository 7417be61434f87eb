// Knowledge base behaviour. No network access, no third-party code.
