"""Random pages: the parser raises nothing but PSPError, and the fast program runs like mod_python's."""
from __future__ import annotations

import os
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modpy_compat.psp import codegen
from modpy_compat.psp.errors import PSPError
from tests.psp.conftest import StubRequest
from tests.psp.strategies import page_text, site_files, structured_pages

# Random and escape-laden pages make Python warn about their text; that is not under test.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(page_text)
def test_generate_and_compile_raise_only_psp_errors(page):
    try:
        program = codegen.generate(page)
    except PSPError:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # SyntaxWarnings of random code
        try:
            program.compile()
        except PSPError:
            pass
        try:
            program.compile_page()
        except PSPError:
            pass


@SETTINGS
@given(st.binary(max_size=200))
def test_any_bytes_raise_only_psp_errors(data):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            codegen.generate(data).compile()
    except PSPError:
        pass


@SETTINGS
@given(page_text)
def test_string_pages_with_includes_raise_only_psp_errors(page):
    try:
        codegen.generate(page.replace("<%@", '<%@ include file="nope.psp" '), None, None)
    except PSPError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=site_files)
def test_includes_raise_only_psp_errors(tmp_path_factory, files):
    root = tmp_path_factory.mktemp("site")
    for name, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(root, name)), exist_ok=True)
        with open(os.path.join(root, name), "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    try:
        codegen.generate_file(str(root) + "/main.psp")
    except PSPError:
        pass


def _run(code, fast):
    req = StubRequest()
    scope = {"req": req, "x": [1, 2], "a": True}
    if fast:
        scope.update(__psp_w__=lambda text: req.write(text, 0), _s_=str,
                     __psp_e__=lambda pieces: [req.write(p, 0) for p in pieces])
    try:
        codegen.execute(code, scope)
    except Exception as exc:
        return req.body, type(exc)
    return req.body, None


@SETTINGS
@given(page_text)
def test_fast_program_behaves_like_mod_pythons(page):
    program = codegen.generate(page)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            faithful = compile(program.source, "page.psp", "exec", dont_inherit=True)
        except (SyntaxError, ValueError):
            return
        code, fast = program.compile_page("page.psp")
    if fast:
        assert _run(code, True) == _run(faithful, False)


@SETTINGS
@given(structured_pages(reads=("w", "u")))
def test_function_mode_runs_like_module_code(page):
    # w and u are also page globals here: a page that reads them before assigning
    # them must see the globals, so it must not run as a function.
    program = codegen.generate(page)
    faithful = compile(program.source, "page.psp", "exec", dont_inherit=True)
    code, fast = program.compile_page("page.psp")
    assert fast
    names = {"w": "G", "u": "H"}

    def run(code, fast):
        req = StubRequest()
        scope = dict(names, req=req)
        if fast:
            scope.update(__psp_w__=lambda text: req.write(text, 0), _s_=str,
                         __psp_e__=lambda pieces: [req.write(p, 0) for p in pieces])
        try:
            codegen.execute(code, scope)
        except Exception as exc:
            return req.body, type(exc)
        return req.body, None
    assert run(code, True) == run(faithful, False)
