"""The conformance suite: every case on real Apache + mod_python and on modpy_compat, compared.

A case is a folder ``cases/<area>/<case>/`` holding a small legacy application (handler modules,
publisher pages, PSP pages, static files), a ``site.conf`` fragment wiring it (``@CASE_DIR@``
stands for the case's own directory, ``@CASE_URL@`` for its URL prefix ``/<area>/<case>``) and
``requests.json``, the requests to send and what to compare.  What real mod_python answered is
committed, normalised, in ``golden/<area>/<case>.json``; modpy_compat is compared against those
goldens without needing Apache.

``python -m tests.conformance`` runs the suite (``--help`` lists the modes); pytest runs it through
``test_conformance.py``.  ``cases.py`` loads cases, ``tree.py`` lays them out and writes both
configurations, ``servers.py`` starts Apache and ``modpy-compat serve``, ``client.py`` sends the
requests, ``normalise.py`` and ``compare.py`` turn answers into comparable records and differences,
``report.py`` prints the summary and writes docs/conformance.md.
"""
