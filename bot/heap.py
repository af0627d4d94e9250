"""A server's long-lived objects kept out of the garbage collector's sight once they are loaded."""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect what loading left behind, then freeze the rest (:func:`gc.freeze`).

    Once the model is loaded the Rasa server holds some 760,000 objects (the action server 380,000: Rasa,
    TensorFlow's modules, the knowledge base, jieba's dictionary, the models) that live as long as the
    process. Every full collection walked them all, a pause of 0.3–0.8 s of every conversation in flight,
    every few hundred messages; frozen, a full collection looks only at what came later (25–40 ms)."""
    gc.collect()
    gc.freeze()
