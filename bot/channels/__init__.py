"""Channel adapters: translate channel updates to `Incoming`, render `Reply`."""
