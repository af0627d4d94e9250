"""Text utilities every layer may use: normalising a message, jieba's words, spaCy's phrase matching."""
