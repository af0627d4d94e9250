"""The maintainers' review: what went wrong in the stored conversations, and labelled questions back to
training."""
