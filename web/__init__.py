"""web — the browser interface and REST API of dach (`create_app` in `web.app`, started by `dach serve`).

Layout: `app.py` builds the FastAPI app (middleware, error pages, mounts); `security.py` headers, CSRF, body
limits, signing key; `deps.py` the signed-in actor and the capability check; `policy.py` role → capability;
`archive.py` the storage facade as a protocol; `batches.py` uploads and the background intake;
`pages.py` page images; `routes/` one module per kind of user; `api.py` the REST API under /api/v1;
`schemas/strings_de.py` every German text; `templates/` Jinja2 (autoescaped); `static/` CSS, a small script, htmx
(vendored from the npm package htmx.org 2.0.11, `dist/htmx.min.js`, BSD-2-Clause).
"""
