"""Bad input through every channel of the running assistant: odd texts, broken bodies, hostile requests."""
