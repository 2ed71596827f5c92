# dach worker and web image (Debian 12, Python 3.11, tesseract with the agency's languages).
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      tesseract-ocr tesseract-ocr-deu tesseract-ocr-eng tesseract-ocr-ukr tesseract-ocr-rus \
      tesseract-ocr-ara tesseract-ocr-fas tesseract-ocr-tur tesseract-ocr-osd \
      tesseract-ocr-pol tesseract-ocr-ces tesseract-ocr-slk tesseract-ocr-ron tesseract-ocr-hun \
      tesseract-ocr-hrv tesseract-ocr-fra tesseract-ocr-spa tesseract-ocr-por tesseract-ocr-ita \
      tesseract-ocr-nor tesseract-ocr-dan \
      fonts-ocr-b fonts-dejavu-core fonts-noto-core libfribidi0 libraqm0 \
 && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv
# The image is the product: neither the dev nor the lab dependency group, and no `lab/` (.dockerignore).
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-default-groups --no-install-project
# Bytecode is compiled here (pyproject: compile-bytecode; dach's own modules below): the user `dach` cannot
# write it into the venv, and every process would compile each module it imports at every start.
COPY . .
RUN uv sync --frozen --no-default-groups \
 && .venv/bin/python -m compileall -q dach schemas ocr mrz classifiers storage flows web \
 && useradd --system --home /var/lib/dach dach && mkdir -p /var/lib/dach \
 && chown dach /var/lib/dach
ENV PATH="/app/.venv/bin:$PATH" OMP_THREAD_LIMIT=1 PREFECT_SERVER_ANALYTICS_ENABLED=false
USER dach
EXPOSE 8000
CMD ["dach", "serve", "--host", "0.0.0.0"]
