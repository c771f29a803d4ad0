"""Self-check machines over SIP2: a server over quietdesk's circulation and a privacy filter in front of any ILS."""
