"""Tamper evidence beyond the hash chain: signed checkpoints, case verification, court exports."""
