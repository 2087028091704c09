"""The catalog of one build day: which items are public, their segments, kit members, related cases and lifecycle notices."""
