"""Probe channels, one folder each (``probes/channels/<kind>/``), all speaking the protocol of
:mod:`probes.channels.base`; :mod:`probes.channels.registry` lists them."""
