"""Shipped registry data (GB/T 2260 regions); see docs/regions-data.md."""
