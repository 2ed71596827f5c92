"""Training of the shipped models on generated data: `lab.training.doctype` (the spaCy document-type
classifier in `classifiers/models/`) and `lab.training.mrz` (the OCR-B cell classifier and tesseract's
confusion table in `mrz/models/`). Training seeds only; seeds from 100000 on are for measuring."""
