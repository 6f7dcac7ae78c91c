"""mastodon: the network's package (provider, sign-in, spec)."""
