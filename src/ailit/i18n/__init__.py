"""Layer 2: segmentation, extraction, the PO format, merging, checks, glossary and status."""
