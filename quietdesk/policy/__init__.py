"""The policy engine: decides every request for patron information or building access."""
