"""The regulated companies (operators), their venues/channels, and the regions registry."""
