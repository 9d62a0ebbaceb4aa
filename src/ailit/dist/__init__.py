"""Layer 5: offline copies: zip bundles, ZIM files, verify and updates."""
