"""Source data: format readers, the bundled snapshot, fetch clients."""
