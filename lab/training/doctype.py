"""Training the document-type model from generated documents, reproducibly from a seed.

Documents come from `lab.samples.content.make_document` with training seeds only (0-9999; seeds from
100000 on are kept for measuring). Each document is seen whole and page by page (the splitter classifies
single pages), with OCR-like noise: confused glyphs, lost umlauts, split and merged words, dropped and
shuffled lines, garbage from stamps and photos. After training, a temperature is fitted on held-out
generated documents so the confidence the classifier reports is calibrated.

Same seed and settings, same model: every random choice flows from one `random.Random(seed)` and spaCy's
`fix_random_seed`.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from classifiers.lexicon import Lexicon
from classifiers.model import LABELS, build_pipeline, calibrate, classifier_text, save_model
from schemas.documents import DocumentType

log = logging.getLogger(__name__)

TRAIN_SEEDS = range(0, 9000)
CALIBRATION_SEEDS = range(9000, 10000)

_CONFUSIONS = (
    ("rn", "m"),
    ("m", "rn"),
    ("l", "1"),
    ("1", "l"),
    ("I", "l"),
    ("O", "0"),
    ("0", "O"),
    ("e", "c"),
    ("c", "e"),
    ("ä", "a"),
    ("ö", "o"),
    ("ü", "u"),
    ("ß", "B"),
    ("i", "í"),
    ("h", "b"),
    ("u", "n"),
    ("n", "u"),
    ("S", "5"),
    ("B", "8"),
    ("g", "q"),
    ("é", "e"),
    ("і", "i"),
    ("ї", "i"),
    ("и", "n"),
    ("ш", "w"),
    ("д", "A"),
    ("ы", "bi"),
    ("ة", "ه"),
    ("ي", "ى"),
)
_GARBAGE = "|/\\_-~'`.,;:!ilI1()[]{}"
# How a Latin-only OCR (deu+eng) reads Cyrillic: look-alike letters, several candidates each.
_HOMOGLYPHS: dict[str, str] = {
    "А": "A",
    "Б": "B5",
    "В": "B",
    "Г": "Tr",
    "Д": "AQ",
    "Е": "E",
    "Ё": "E",
    "Ж": "XK",
    "З": "3",
    "И": "NU",
    "Й": "NU",
    "К": "K",
    "Л": "NJ",
    "М": "M",
    "Н": "H",
    "О": "O",
    "П": "NT",
    "Р": "P",
    "С": "C",
    "Т": "T",
    "У": "Y",
    "Ф": "PO",
    "Х": "X",
    "Ц": "U",
    "Ч": "Y4",
    "Ш": "W",
    "Щ": "W",
    "Ъ": "b",
    "Ы": "b",
    "Ь": "b",
    "Э": "3",
    "Ю": "O",
    "Я": "AR",
    "І": "I",
    "Ї": "I",
    "Є": "E",
    "Ґ": "r",
    "а": "a",
    "б": "6",
    "в": "Be",
    "г": "r",
    "д": "ag",
    "е": "e",
    "ё": "e",
    "ж": "xk",
    "з": "3",
    "и": "un",
    "й": "u",
    "к": "k",
    "л": "ns",
    "м": "m",
    "н": "Hn",
    "о": "o",
    "п": "n",
    "р": "p",
    "с": "c",
    "т": "Tm",
    "у": "y",
    "ф": "po",
    "х": "x",
    "ц": "u",
    "ч": "y4",
    "ш": "wu",
    "щ": "w",
    "ъ": "b",
    "ы": "b",
    "ь": "b",
    "э": "3",
    "ю": "o",
    "я": "a",
    "і": "i",
    "ї": "i",
    "є": "e",
    "ґ": "r",
}


@dataclass(frozen=True)
class TrainConfig:
    """What `dach train` varies. The shipped model is `TrainConfig()` with seed 0."""

    seed: int = 0
    docs_per_type: int = 400
    epochs: int = 8
    dropout: float = 0.2
    batch_size: int = 32
    calibration_docs_per_type: int = 60
    noise: float = 0.08  # share of words hit by an OCR error in a noisy copy


def noisy(text: str, rng: random.Random, rate: float) -> str:
    """`text` as a poor OCR might read it: glyph confusions, split/merged words, lost and shuffled lines."""
    lines = text.split("\n")
    out_lines: list[str] = []
    for line in lines:
        if rng.random() < rate:  # a line OCR did not see at all
            continue
        words = line.split()
        out: list[str] = []
        for word in words:
            roll = rng.random()
            if roll < rate:
                a, b = rng.choice(_CONFUSIONS)
                word = word.replace(a, b, 1)
            elif roll < rate * 1.4 and len(word) > 4:
                cut = rng.randint(1, len(word) - 1)
                word = word[:cut] + " " + word[cut:]
            elif roll < rate * 1.7 and out:
                out[-1] += word
                continue
            elif roll < rate * 2.0:
                word = word[: rng.randint(0, len(word))] + rng.choice(_GARBAGE) + word[len(word) // 2 :]
            out.append(word)
        if rng.random() < rate / 2:
            out.append("".join(rng.choice(_GARBAGE) for _ in range(rng.randint(1, 6))))
        out_lines.append(" ".join(out))
    if len(out_lines) > 3 and rng.random() < rate * 3:
        i = rng.randrange(len(out_lines) - 1)
        out_lines[i], out_lines[i + 1] = out_lines[i + 1], out_lines[i]
    return "\n".join(out_lines)


def cyrillic_as_latin(text: str, rng: random.Random) -> str:
    """Cyrillic text as a Latin-only OCR reads it (`Фамилия, имя` → `Pamunna, uma`)."""
    return "".join(rng.choice(_HOMOGLYPHS[ch]) if ch in _HOMOGLYPHS else ch for ch in text)


def training_texts(
    seeds: range, per_type: int, rng: random.Random, noise: float, clean: list[str] | None = None
) -> Iterator[tuple[str, str]]:
    """(text, label) pairs: each generated document whole, its pages alone, clean and noisy."""
    from lab.samples.content import make_document

    types = list(DocumentType)
    seed_iter = iter(seeds)
    for _ in range(per_type):
        for doc_type in types:
            doc_rng = random.Random(next(seed_iter))
            content = make_document(doc_rng, doc_type)
            pages = [content.page_text(i) for i in range(len(content.pages))]
            whole = "\n".join(pages)
            if clean is not None:
                clean.append(whole)
            yield (
                (whole if rng.random() < 0.3 else noisy(whole, rng, noise * rng.uniform(0.5, 2.0))),
                doc_type.value,
            )
            if any("\u0400" <= ch <= "\u04ff" for ch in whole) and rng.random() < 0.3:
                yield noisy(cyrillic_as_latin(whole, rng), rng, noise), doc_type.value
            if len(pages) > 1:
                for page in pages:
                    yield noisy(page, rng, noise * rng.uniform(0.5, 2.0)), doc_type.value


def _examples(nlp: Any, pairs: list[tuple[str, str]]) -> list[Any]:
    from spacy.training import Example

    out = []
    for text, label in pairs:
        cats = {name: 1.0 if name == label else 0.0 for name in LABELS}
        out.append(Example.from_dict(nlp.make_doc(classifier_text(text)), {"cats": cats}))
    return out


def fit_temperature(probabilities: list[dict[str, float]], labels: list[str]) -> float:
    """The temperature that minimises the negative log-likelihood of the true labels (grid search)."""
    best_t, best_nll = 1.0, math.inf
    for step in range(4, 121):
        t = step / 20  # 0.2 .. 6.0
        nll = 0.0
        for probs, label in zip(probabilities, labels, strict=True):
            nll -= math.log(max(calibrate(probs, t)[label], 1e-12))
        if nll < best_nll - 1e-9:
            best_t, best_nll = t, nll
    return best_t


def train(config: TrainConfig, out_dir: Path) -> dict[str, Any]:
    """Train, calibrate and save a model to `out_dir`; returns what was recorded in its meta."""
    from spacy.util import fix_random_seed, minibatch

    started = time.monotonic()
    fix_random_seed(config.seed)
    rng = random.Random(config.seed)
    nlp = build_pipeline()
    clean: list[str] = []
    pairs = list(training_texts(TRAIN_SEEDS, config.docs_per_type, rng, config.noise, clean))
    lexicon = Lexicon.build(clean)
    examples = _examples(nlp, pairs)
    log.info("training on %d examples", len(examples))
    with nlp.select_pipes(enable=["textcat"]):
        optimizer = nlp.initialize(lambda: examples[:200])
        for epoch in range(config.epochs):
            rng.shuffle(examples)
            losses: dict[str, float] = {}
            for batch in minibatch(examples, size=config.batch_size):
                nlp.update(batch, sgd=optimizer, drop=config.dropout, losses=losses)
            log.info("epoch %d loss %.4f", epoch, losses.get("textcat", 0.0))

    # Calibrated on documents read worse than the training ones: real scans are noisier than our noise.
    held_out = list(training_texts(CALIBRATION_SEEDS, config.calibration_docs_per_type, rng, config.noise * 3))
    textcat = nlp.get_pipe("textcat")
    probabilities = [dict(textcat(nlp.make_doc(classifier_text(text))).cats) for text, _ in held_out]
    labels = [label for _, label in held_out]
    temperature = fit_temperature(probabilities, labels)
    correct = sum(1 for p, label in zip(probabilities, labels, strict=True) if max(p, key=p.__getitem__) == label)
    meta = {
        "train_config": asdict(config),
        "train_examples": len(examples),
        "calibration_examples": len(held_out),
        "calibration_accuracy": round(correct / max(1, len(held_out)), 4),
    }
    meta["lexicon_entries"] = len(lexicon.entries)
    save_model(nlp, temperature, meta, out_dir, lexicon)
    # The time is reported, not saved: the same seed must give a byte-identical model folder.
    return {"temperature": temperature, **meta, "train_seconds": round(time.monotonic() - started, 1)}
