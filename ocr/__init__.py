"""The OCR room: files in, pages of text with positions out. It knows nothing of persons or records.

- `ocr.sources.inspect_source(data, limits)`: admit a file by its content or raise the `InputRejected`
  subclass that says what is wrong; tells media type, page count and which PDF pages are born-digital.
- `ocr.reader.read_page(data, page, options)` / `read_pages(data, options, workers=)`: one page (or all)
  as `PageReading(text=PageText, pdf=bytes | None)`.
- `ocr.rendition.merge_pages(pdfs)`: the searchable PDF of a file from its one-page PDFs.
- `ocr.separator`: the separator sheet (Trennblatt) and its detection.
- `ocr.tesseract`: the one gateway to tesseract; `ocr.mrz`: finds and reads the machine-readable zone (with
  `mrz/`) and hands on its decode.
"""
