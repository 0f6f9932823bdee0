"""Pack files to a compiled Policy: loading, merging, compiling, applicability, lock files, shipped packs."""
