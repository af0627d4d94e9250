"""The trained understanding: the features, the service model and the aspect model, stored as one file in
the Rasa model."""

from __future__ import annotations

import pickle
import tarfile
from dataclasses import dataclass
from pathlib import Path

from bot.nlu.aspect_model import AspectModel, clauses
from bot.nlu.features import TextFeatures
from bot.nlu.service_model import ServiceModel

FILE_NAME = "understanding.pkl"


@dataclass
class Models:
    """What ``rasa train`` fits for bot.nlu.components.KnowledgeBaseLinker."""

    features: TextFeatures
    services: ServiceModel
    aspects: AspectModel

    def read(self, text: str) -> tuple[list[tuple[str, float]], list[str]]:
        """The services (with their probabilities, best first) and the aspects of one message, the features of
        it and of its clauses computed once."""
        texts = [text, *clauses(text)]
        features = self.features.transform(texts)
        return self.services.rank(features[:1])[0], self.aspects.asked(features, texts)

    def dump(self, directory: Path) -> Path:
        path = directory / FILE_NAME
        path.write_bytes(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))
        return path

    @classmethod
    def load(cls, data: bytes) -> Models:
        """The models from :meth:`dump`'s bytes."""
        models = pickle.loads(data)
        if not isinstance(models, cls):
            raise TypeError(f"{FILE_NAME} holds no {cls.__name__}")
        return models

    @classmethod
    def from_rasa_model(cls, model: Path) -> Models:
        """The models inside a trained Rasa model file (models/yibao.tar.gz), without loading Rasa."""
        with tarfile.open(model) as archive:
            member = next((m for m in archive.getmembers() if m.name.endswith("/" + FILE_NAME)), None)
            handle = archive.extractfile(member) if member else None
            if handle is None:
                raise FileNotFoundError(f"{model} holds no {FILE_NAME}: train it again (make model)")
            return cls.load(handle.read())
