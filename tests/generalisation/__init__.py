"""The generalisation corpus and its measure (README.md)."""
