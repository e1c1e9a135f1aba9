"""Facts the rules read, computed once: what a column holds (`columns`) and what role a table plays
(`roles`)."""
