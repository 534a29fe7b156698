"""Who binds which name where in a page's program: what psp2mako and the page runner need to know.

A PSP page runs as module code: every name it assigns is a global of the
page, so reading a name the page assigns only on some paths reads the
request's variable (or a page global) on the others.  Templates (Mako) and
functions see a name assigned anywhere in them as local everywhere.
:func:`unsafe_reads` finds the reads where that makes a difference;
:func:`function_code` compiles a page as a function (local names are an
array slot instead of a dict entry) when nothing can tell the difference.
"""
from __future__ import annotations

import ast
import sys

def loads(expression):
    """``("load", name, node)`` for the names an expression reads (not its inner scopes' own names)."""
    if expression is None:
        return
    local = set()
    for node in ast.walk(expression):
        if isinstance(node, ast.comprehension):
            local.update(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
    stack = [expression]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in local:
            yield "load", node.id, node
        elif isinstance(node, ast.Lambda):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def stores(target):
    if target is None:
        return
    for node in ast.walk(target):
        if isinstance(node, ast.Name):
            yield "store", node.id, node
        elif isinstance(node, (ast.Subscript, ast.Attribute)):
            yield from loads(node)


def binding_events(statements):
    """Reads and writes of names by the template body, in execution order (functions not entered)."""
    for st in statements:
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in st.decorator_list:
                yield from loads(decorator)
            yield "store", st.name, st
        elif isinstance(st, ast.Assign):
            yield from loads(st.value)
            for target in st.targets:
                yield from stores(target)
        elif isinstance(st, ast.AugAssign):
            yield from loads(st.value)
            if isinstance(st.target, ast.Name):
                yield "load", st.target.id, st
            yield from stores(st.target)
        elif isinstance(st, ast.AnnAssign):
            yield from loads(st.value)
            yield from stores(st.target)
        elif isinstance(st, (ast.For, ast.AsyncFor)):
            yield from loads(st.iter)
            yield from stores(st.target)
            yield from binding_events(st.body)
            yield from binding_events(st.orelse)
        elif isinstance(st, (ast.While, ast.If)):
            yield from loads(st.test)
            yield from binding_events(st.body)
            yield from binding_events(st.orelse)
        elif isinstance(st, (ast.With, ast.AsyncWith)):
            for item in st.items:
                yield from loads(item.context_expr)
                yield from stores(item.optional_vars)
            yield from binding_events(st.body)
        elif isinstance(st, ast.Try):
            yield from binding_events(st.body)
            for handler in st.handlers:
                yield from loads(handler.type)
                if handler.name:
                    yield "store", handler.name, handler
                yield from binding_events(handler.body)
            yield from binding_events(st.orelse)
            yield from binding_events(st.finalbody)
        elif isinstance(st, (ast.Import, ast.ImportFrom)):
            for alias in st.names:
                yield "store", (alias.asname or alias.name).split(".")[0], st
        else:
            for child in ast.iter_child_nodes(st):
                if isinstance(child, ast.expr):
                    yield from loads(child)
                    for node in ast.walk(child):
                        if isinstance(node, ast.NamedExpr):
                            yield from stores(node.target)


def unsafe_reads(statements, assigned, candidates):
    """``(name, node)`` for reads of ``candidates`` not preceded, on every path, by an assignment.

    Updates ``assigned`` (the names definitely assigned) in place.
    """
    def check(expression):
        for _, name, node in loads(expression):
            if name in candidates and name not in assigned:
                yield name, node

    def store(target):
        for event, name, node in stores(target):
            if event == "store":
                assigned.add(name)
            elif name in candidates and name not in assigned:
                yield name, node

    for st in statements:
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in st.decorator_list:
                yield from check(decorator)
            assigned.add(st.name)
        elif isinstance(st, ast.Assign):
            yield from check(st.value)
            for target in st.targets:
                yield from store(target)
        elif isinstance(st, ast.AugAssign):
            yield from check(st.value)
            if isinstance(st.target, ast.Name) and st.target.id in candidates and st.target.id not in assigned:
                yield st.target.id, st
            yield from store(st.target)
        elif isinstance(st, ast.AnnAssign):
            yield from check(st.value)
            if st.value is not None:
                yield from store(st.target)
        elif isinstance(st, (ast.For, ast.AsyncFor)):
            yield from check(st.iter)
            inner = set(assigned)
            inner.update(name for event, name, _ in stores(st.target) if event == "store")
            yield from unsafe_reads(st.body, inner, candidates)
            yield from unsafe_reads(st.orelse, set(assigned), candidates)
        elif isinstance(st, ast.While):
            yield from check(st.test)
            yield from unsafe_reads(st.body, set(assigned), candidates)
            yield from unsafe_reads(st.orelse, set(assigned), candidates)
        elif isinstance(st, ast.If):
            yield from check(st.test)
            then, other = set(assigned), set(assigned)
            yield from unsafe_reads(st.body, then, candidates)
            yield from unsafe_reads(st.orelse, other, candidates)
            assigned.update(then & other)
        elif isinstance(st, (ast.With, ast.AsyncWith)):
            for item in st.items:
                yield from check(item.context_expr)
                yield from store(item.optional_vars)
            yield from unsafe_reads(st.body, assigned, candidates)
        elif isinstance(st, ast.Try):
            yield from unsafe_reads(st.body, set(assigned), candidates)
            for handler in st.handlers:
                yield from check(handler.type)
                inner = set(assigned)
                if handler.name:
                    inner.add(handler.name)
                yield from unsafe_reads(handler.body, inner, candidates)
            yield from unsafe_reads(st.orelse, set(assigned), candidates)
            yield from unsafe_reads(st.finalbody, assigned, candidates)
        elif isinstance(st, (ast.Import, ast.ImportFrom)):
            for alias in st.names:
                assigned.add((alias.asname or alias.name).split(".")[0])
        else:
            for child in ast.iter_child_nodes(st):
                if isinstance(child, ast.expr):
                    yield from check(child)
                    for node in ast.walk(child):
                        if isinstance(node, ast.NamedExpr):
                            yield from store(node.target)


# What a page may contain and still run as a function, unnoticed.
_STATEMENTS = (ast.Assign, ast.AugAssign, ast.Expr, ast.For, ast.While, ast.If, ast.With, ast.Try,
               ast.Import, ast.ImportFrom, ast.Pass, ast.Break, ast.Continue, ast.Raise, ast.Assert)
# Nested scopes would get "<module>.<locals>." qualified names (visible in reprs
# and pickles); the others bind or look up names differently in a function.
_NOT_IN_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.GeneratorExp,
                     ast.Global, ast.Nonlocal, ast.Delete, ast.AnnAssign, ast.NamedExpr, ast.Yield,
                     ast.YieldFrom, ast.Await, ast.AsyncFor, ast.AsyncWith)
_INTROSPECTION = frozenset(["globals", "locals", "vars", "dir", "eval", "exec"])
MAX_FUNCTION_SOURCE = 512 * 1024     # beyond that a second compile costs more than it saves


def runs_as_function(tree) -> bool:
    """True when running ``tree``'s statements as a function body cannot be told from running them as a module.

    That holds when the page has no nested scopes and no ``global``,
    ``del``, walrus or annotation; does not look at its own namespace
    (``globals()``, ``locals()``, ``eval``...); and every name it assigns is
    assigned, on every path, before it is read (otherwise the read would
    find the page global or the request's variable of that name).
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and not isinstance(node, _STATEMENTS):
            return False
        if isinstance(node, _NOT_IN_FUNCTIONS):
            return False
        if isinstance(node, ast.Name) and node.id in _INTROSPECTION:
            return False
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            return False
    assigned = {name for event, name, _ in binding_events(tree.body) if event == "store"}
    for _ in unsafe_reads(tree.body, set(), assigned):
        return False
    return True


def function_code(source: str, filename: str, parameters=()):
    """The code object of ``source`` compiled as the body of a function named ``<module>``, or None.

    Lines, columns and the frame name stay those of the module code, so
    tracebacks read the same; local names become array slots.  Without
    ``parameters`` ``exec()`` runs it like module code; with them, call
    ``types.FunctionType(code, globals)(*arguments)``.
    """
    if not source or len(source) > MAX_FUNCTION_SOURCE:
        return None
    tree = ast.parse(source, filename)
    if not tree.body or not runs_as_function(tree):
        return None
    arguments = ast.arguments(posonlyargs=[], args=[ast.arg(arg=name) for name in parameters], vararg=None,
                              kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
    function = ast.FunctionDef(name="<module>", args=arguments, body=tree.body, decorator_list=[],
                               returns=None, type_comment=None, lineno=1, col_offset=0)
    if sys.version_info >= (3, 12):
        function.type_params = []
    module = ast.Module(body=[function], type_ignores=[])
    ast.fix_missing_locations(module)
    for const in compile(module, filename, "exec", dont_inherit=True).co_consts:
        if hasattr(const, "co_code") and const.co_name == "<module>":
            return const
    return None
