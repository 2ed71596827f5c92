"""The shipped document-type model: a small spaCy pipeline with a calibrated text classifier.

The pipeline is a blank German tokenizer, a `textcat` (bag of words and bigrams, exclusive classes) trained
by `lab/training/doctype.py` on generated documents of every type and language, and the registered field
components of `classifiers/fields.py`. It lives under `classifiers/models/doctype-v2/` next to
`dach_model.json`, which records the FORMAT_VERSION, the calibration temperature and how it was trained.

Written atomically (`<dir>.part`, then rename) so a crashed `dach train` never leaves half a model, and
loaded with a version check so an old model gives a clear `ModelError` instead of odd predictions.
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from classifiers.lexicon import Lexicon
from schemas.documents import DocumentType
from schemas.errors import ModelError
from schemas.model_files import meta_json, require_format, write_folder

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
MODEL_NAME = "doctype-v2"
MODELS_DIR = Path(__file__).resolve().parent / "models"
DEFAULT_MODEL_DIR = MODELS_DIR / MODEL_NAME
META_FILE = "dach_model.json"
LABELS = tuple(t.value for t in DocumentType)

TEXTCAT_CONFIG: dict[str, Any] = {
    "model": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": True,
        "ngram_size": 2,
        "no_output_layer": False,
        "length": 2**16,
    }
}
FIELD_PIPES = ("dach_notice_fields_v1", "dach_certificate_fields_v1")

_DIGIT = re.compile(r"\d")
# Persian and Arabic spellings of the same letters (OCR with ara+fas picks either) fold to one form.
_ARABIC_FOLD = str.maketrans({"ی": "ي", "ى": "ي", "ک": "ك", "ە": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه"})
_NOISE = re.compile(r"[^\w\s]")


def classifier_text(text: str) -> str:
    """What the text classifier sees: lower case, digits as 0, punctuation dropped, spaces collapsed.

    Numbers and punctuation carry no type information but multiply the vocabulary (and OCR noise).
    """
    text = _NOISE.sub(" ", _DIGIT.sub("0", text.lower().translate(_ARABIC_FOLD)))
    return " ".join(text.split())[:6000]


def build_pipeline() -> Any:
    """A blank, untrained pipeline with the textcat and the field components (their factories registered)."""
    import spacy

    from classifiers import fields  # noqa: F401  (registers the dach.* factories)

    nlp = spacy.blank("de")
    textcat: Any = nlp.add_pipe("textcat", config=TEXTCAT_CONFIG)
    for label in LABELS:
        textcat.add_label(label)
    for name in FIELD_PIPES:
        nlp.add_pipe(name)
    return nlp


@dataclass(frozen=True)
class Prediction:
    """A calibrated type prediction: the best type, its probability and every type's probability."""

    type: DocumentType
    confidence: float
    scores: dict[str, float]


class DoctypeModel:
    """The loaded pipeline plus its calibration."""

    def __init__(self, nlp: Any, temperature: float, meta: dict[str, Any], lexicon: Lexicon | None = None) -> None:
        self.nlp = nlp
        self.lexicon = lexicon or Lexicon({})
        self.temperature = temperature
        self.meta = meta
        self._textcat = nlp.get_pipe("textcat")

    def predict(self, text: str) -> Prediction:
        """The type of a document's text with a temperature-calibrated confidence."""
        doc = self._textcat(self.nlp.make_doc(classifier_text(text)))
        scores = calibrate(dict(doc.cats), self.temperature)
        best = max(scores, key=lambda label: scores[label])
        return Prediction(type=DocumentType(best), confidence=scores[best], scores=scores)

    def predict_many(self, texts: list[str]) -> list[Prediction]:
        docs = (self.nlp.make_doc(classifier_text(t)) for t in texts)
        out: list[Prediction] = []
        for doc in self._textcat.pipe(docs, batch_size=64):
            scores = calibrate(dict(doc.cats), self.temperature)
            best = max(scores, key=lambda label: scores[label])
            out.append(Prediction(type=DocumentType(best), confidence=scores[best], scores=scores))
        return out

    def fields_doc(self, text: str) -> Any:
        """A Doc of the original text with the field components' candidate spans set."""
        doc = self.nlp.make_doc(text)
        for name in FIELD_PIPES:
            doc = self.nlp.get_pipe(name)(doc)
        return doc


def calibrate(scores: dict[str, float], temperature: float) -> dict[str, float]:
    """Temperature scaling of softmax probabilities: p_i^(1/T), renormalised."""
    logs = {k: math.log(max(v, 1e-12)) / temperature for k, v in scores.items()}
    top = max(logs.values())
    exps = {k: math.exp(v - top) for k, v in logs.items()}
    total = sum(exps.values())
    return {k: v / total for k, v in exps.items()}


def save_model(
    nlp: Any, temperature: float, meta: dict[str, Any], out_dir: Path, lexicon: Lexicon | None = None
) -> Path:
    """Write the pipeline and its meta to `out_dir` atomically: into `<out_dir>.part`, then rename."""
    record = {"format_version": FORMAT_VERSION, "name": MODEL_NAME, "temperature": temperature, **meta}

    def fill(part: Path) -> None:
        nlp.to_disk(part, exclude=["vocab"])
        (lexicon or Lexicon({})).save(part)
        (part / META_FILE).write_text(meta_json(record), encoding="utf-8")

    out_dir = write_folder(Path(out_dir), fill)
    log.info("model written to %s (temperature %.3f)", out_dir, temperature)
    return out_dir


def load_model(model_dir: Path = DEFAULT_MODEL_DIR) -> DoctypeModel:
    """Load a shipped model, checking its FORMAT_VERSION; raises ModelError with what to do."""
    model_dir = Path(model_dir)
    meta_path = model_dir / META_FILE
    if not meta_path.is_file():
        raise ModelError(
            f"no document-type model at {model_dir}: run `dach train` to build it (it ships in the repo "
            f"under classifiers/models/{MODEL_NAME})"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{meta_path} is unreadable ({exc}): rebuild the model with `dach train`") from exc
    require_format(meta, FORMAT_VERSION, what=f"the document-type model {model_dir}", rebuild="dach train")
    import spacy

    from classifiers import fields  # noqa: F401  (registers the dach.* factories before loading)

    try:
        nlp = spacy.load(model_dir, exclude=[])
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load the model at {model_dir} ({exc}): rebuild it with `dach train`") from exc
    return DoctypeModel(nlp, float(meta.get("temperature", 1.0)), meta, Lexicon.load(model_dir))


@lru_cache(maxsize=2)
def shipped_model(model_dir: str = str(DEFAULT_MODEL_DIR)) -> DoctypeModel:
    """The shipped model, loaded once per process (it is read-only after loading)."""
    return load_model(Path(model_dir))
