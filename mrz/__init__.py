"""The MRZ room: the machine-readable zone of passports, ID cards, residence permits and visas (ICAO 9303).

Everything about the zone that needs neither a page image nor tesseract: the layouts and check digits
(`mrz.layout`), parsing clean lines into the contract's fields (`mrz.parse`), the fixed character grid and the
OCR-B cell classifier shipped in `mrz/models/` (`mrz.cells`, `mrz.glyphs`, `mrz.ocrb`), tesseract's confusions
(`mrz.confusion`), and turning what was read into the zone: `mrz.repair.repair(reading)` decodes it from the
cells' probabilities (`mrz.decode`) or combines the text readings by their check digits (`mrz.repair`).

`ocr/` finds the zone on a page and reads it with this room, and hands the decoded zone on with the page;
`classifiers/` builds the identity document from it. This room imports neither of them (`tests/test_house.py`).
"""
