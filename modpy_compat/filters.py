"""Output and input filters: ``PythonOutputFilter``, ``PythonInputFilter`` and the filter object.

Apache passes a response through a chain of filters in "brigades" (pieces of
data ending, perhaps, with a FLUSH or the end of the stream, EOS).  The
emulation keeps that model between ``req.write`` and the WSGI response:

* a handler's flushed ``req.write(data)`` is one brigade ``[data, FLUSH]``;
  unflushed writes wait until 8 KB have gathered, a flush, or the end of the
  response, as Apache's ``ap_rwrite`` buffer does; the end of the response
  (after the content phase) sends what waits with ``EOS``;
* a Python filter is called once per brigade with an :class:`mp_filter`:
  ``read()`` returns the brigade's data, ``b""`` at a FLUSH and ``None`` at
  EOS; what it ``write``s goes to the next filter when it flushes or closes
  (the dispatcher flushes it after every call unless it closed);
* input filters run when the handler reads the body: each ``req.read`` asks
  the chain for data, a filter's ``read()`` pulls from the one below it.

Filters come from ``SetOutputFilter``/``AddOutputFilter`` (and the input
forms) in the request's configuration, then ``req.add_output_filter``.
Names are case-insensitive, except those ``req.register_*_filter`` gives.
Besides Python filters, Apache's ``CONTENT_LENGTH`` and ``DEFLATE`` exist
(:mod:`modpy_compat.deflate`); other names are logged and ignored, as Apache
does for a filter it does not know.  Error pages bypass the filters, as
Apache's do.  Differences from mod_python are listed in docs/compatibility.md.
"""
from __future__ import annotations

import sys
import traceback
from collections import deque
from html import escape

from modpy_compat.constants import (
    APLOG_WARNING, DEFAULT_FUNCTIONS, HTTP_INTERNAL_SERVER_ERROR, SERVER_RETURN)

# Apache orders filters by type: resource filters (mod_python's) first, then
# content-set ones (DEFLATE), then protocol ones (CONTENT_LENGTH).
RESOURCE, CONTENT_SET, PROTOCOL = 10, 20, 30
BUFFER_LIMIT = 8192     # Apache's ap_rwrite passes unflushed output on at this size
_BLOCK = 8192           # what an input filter asks for when the reader wants "all"
_FILE_BLOCK = 256 * 1024
PYTHON_FILTER = "mod_python"  # the name of filters registered with req.register_*_filter


class _Marker(str):
    """A bucket that carries no data: FLUSH or EOS."""


FLUSH, EOS = _Marker("<FLUSH>"), _Marker("<EOS>")


class mp_filter:
    """The filter object a ``PythonOutputFilter``/``PythonInputFilter`` function receives.

    One is made per call.  ``read``/``readline`` return bytes (``b""`` when
    nothing more is available in this call, None at the end of the stream),
    ``write`` queues data for the next filter (``str`` is encoded UTF-8),
    ``flush`` passes it on, ``close`` passes it on with the end of the stream.
    """

    __slots__ = ("_stage", "_in", "_out", "_closed", "_upstream_done", "req", "softspace")
    _READONLY = frozenset(["closed", "name", "is_input", "handler", "dir"])

    def __init__(self, stage, req, items=()):
        set_ = object.__setattr__
        set_(self, "_stage", stage)
        set_(self, "_in", deque(items))
        set_(self, "_out", [])
        set_(self, "_closed", 0)
        set_(self, "_upstream_done", False)
        set_(self, "req", req)
        set_(self, "softspace", 0)

    name = property(lambda self: self._stage.name)
    handler = property(lambda self: self._stage.handler)
    dir = property(lambda self: self._stage.directory)
    is_input = property(lambda self: int(self._stage.is_input))
    closed = property(lambda self: self._closed)

    def __setattr__(self, name, value):
        if name == "softspace":
            if not isinstance(value, int):
                raise TypeError("an integer is required (got type %s)" % type(value).__name__)
        elif name != "req":
            raise AttributeError("readonly attribute" if name in self._READONLY else name)
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        raise AttributeError("can't delete filter attributes")

    # -- reading ------------------------------------------------------------------

    def read(self, length=-1):
        """Up to ``length`` bytes (all available when negative); None at the end of the stream."""
        return self._read(length, line=False)

    def readline(self, length=-1):
        """Like :meth:`read`, stopping after a newline."""
        return self._read(length, line=True)

    def _read(self, length, line):
        if self._closed:
            raise ValueError("I/O operation on closed filter")
        items = self._in
        if self._stage.is_input and not items and not self._upstream_done:
            self._pull(items)
        if not items:
            return b""
        if items[0] is EOS:
            items.popleft()
            return None
        pieces, size = [], 0
        while items and (length < 0 or size < length):
            item = items[0]
            if item is EOS or item is FLUSH:
                break
            piece = item if length < 0 else item[:length - size]
            if line:
                newline = piece.find(b"\n")
                if newline >= 0:
                    piece = piece[:newline + 1]
            pieces.append(piece)
            size += len(piece)
            if len(piece) == len(item):
                items.popleft()
            else:
                items[0] = item[len(piece):]
            if line and piece.endswith(b"\n"):
                break
        return b"".join(pieces)

    def _pull(self, items):
        data = self._stage.next.pull(self._stage.readbytes)
        if data is None:
            object.__setattr__(self, "_upstream_done", True)
            items.append(EOS)
        elif data:
            items.append(data)

    # -- writing ------------------------------------------------------------------

    def write(self, data):
        """Queue ``data`` for the next filter."""
        if self._closed:
            raise ValueError("I/O operation on closed filter")
        if isinstance(data, str):
            data = data.encode("utf-8")
        elif isinstance(data, (bytearray, memoryview)):
            data = bytes(data)
        elif not isinstance(data, bytes):
            raise TypeError("write() argument must be str or bytes, not %s" % type(data).__name__)
        if data:
            self._out.append(data)

    def flush(self):
        """Pass what was written on to the next filter (an output filter's FLUSH)."""
        self._out.append(FLUSH)
        if not self._stage.is_input:
            out, self._out[:] = list(self._out), []
            self._stage.next.send(out)

    def close(self):
        """Pass what was written on with the end of the stream; no more I/O afterwards."""
        if self._closed:
            return
        self._out.append(EOS)
        if not self._stage.is_input:
            out, self._out[:] = list(self._out), []
            self._stage.next.send(out)
        object.__setattr__(self, "_closed", 1)

    def pass_on(self):
        """Pass the data this call received on, untouched."""
        if self._stage.is_input:
            data = self._stage.next.pull(self._stage.readbytes)
            self._out.append(EOS if data is None else data)
        else:
            items = list(self._in)
            self._in.clear()
            self._stage.next.send(items)

    def disable(self):
        """Make this filter transparent for the rest of the request."""
        self._stage.transparent = True

    def __repr__(self):
        return "<mp_filter %r>" % self._stage.name


# -- stages ----------------------------------------------------------------------------

class PythonFilter:
    """A Python filter in a request's chain: calls the filter function per brigade."""

    ftype = RESOURCE

    def __init__(self, req, name, entry, directory, is_input):
        self.req, self.name, self.entry = req, name, entry
        self.handler, self.directory, self.is_input = entry.handler, directory, is_input
        self.transparent = False
        self.next = None
        self.readbytes = _BLOCK
        self.buffer = b""       # input: what the filter produced beyond what was asked for
        self.ended = False      # input: the filter closed, or produced nothing

    def send(self, items):
        if self.transparent:
            self.next.send(items)
            return
        dispatch(self, mp_filter(self, self.req, items))

    def pull(self, size):
        if self.transparent:
            return self.next.pull(size)
        if not self.buffer and not self.ended:
            self.readbytes = size if size > 0 else _BLOCK
            fltr = mp_filter(self, self.req)
            dispatch(self, fltr)
            produced = []
            for item in fltr._out:
                if item is EOS:
                    self.ended = True
                    break
                if isinstance(item, bytes):
                    produced.append(item)
            self.buffer = b"".join(produced)
            if not self.buffer:
                # Apache's reader takes an empty answer for the end of the body.
                self.ended = True
        if not self.buffer:
            return None
        data, self.buffer = (self.buffer, b"") if size < 0 else (self.buffer[:size], self.buffer[size:])
        return data


# -- chains ------------------------------------------------------------------------------

class _Sink:
    """The end of the output chain: the response being built (``response.Output``)."""

    ftype = 1000

    def __init__(self, req):
        self.req = req
        self.ended = False

    def send(self, items):
        req = self.req
        output = req._output
        for item in items:
            if self.ended:
                return
            if item is FLUSH:
                output.commit(req)
            elif item is EOS:
                self.ended = True
                req.__dict__["_eos_sent"] = 1
            else:
                output.write(req, item, False)


class OutputChain:
    """A request's output filters, in Apache's order, ending at the response."""

    def __init__(self, req):
        self.req = req
        self.stages = []
        self.sink = _Sink(req)
        self.pending = []
        self.pending_size = 0
        self.done = False

    def add(self, stage):
        position = len(self.stages)
        while position and self.stages[position - 1].ftype > stage.ftype:
            position -= 1
        self.stages.insert(position, stage)
        for stage, following in zip(self.stages, self.stages[1:] + [self.sink]):
            stage.next = following

    def send(self, items):
        if not self.done and items:
            (self.stages[0] if self.stages else self.sink).send(items)

    def write(self, data: bytes, flush):
        """A handler's write: passed on at once when flushed, else buffered up to 8 KB."""
        self.pending.append(data)
        self.pending_size += len(data)
        if flush:
            self.flush()
        elif self.pending_size >= BUFFER_LIMIT:
            self.send(self._take())

    def flush(self):
        self.send(self._take() + [FLUSH])

    def close(self):
        """The end of the response: what waits, then the end of the stream."""
        if not self.done:
            self.send(self._take() + [EOS])
            self.done = True

    def abandon(self):
        """Drop what waits and stop filtering (an error page replaces the response)."""
        self._take()
        self.done = True

    def _take(self):
        items, self.pending, self.pending_size = self.pending, [], 0
        return items


class InputChain:
    """A request's input filters; :meth:`pull` is what the body reader reads from."""

    def __init__(self, req, source):
        self.req = req
        self.stages = []
        self.source = source    # the raw body: pull(size) -> bytes or None at the end

    def add(self, stage):
        # The first filter added is the one nearest the handler: it sees the data last.
        position = len(self.stages)
        while position and self.stages[position - 1].ftype > stage.ftype:
            position -= 1
        self.stages.insert(position, stage)
        for stage, following in zip(self.stages, self.stages[1:] + [self.source]):
            stage.next = following

    def pull(self, size):
        return (self.stages[0] if self.stages else self.source).pull(size)


# -- building the chains from the configuration and req.add_*_filter ---------------------------

def output_chain(req, create=False):
    """The request's :class:`OutputChain`, built on first use; None when it has no filters."""
    d = req.__dict__
    if "_ochain" not in d:
        chain = None
        for name in configured_filters(req, output=True):
            chain = _add(req, chain, name, output=True)
        d["_ochain"] = chain
    if d["_ochain"] is None and create:
        d["_ochain"] = OutputChain(req)
    return d["_ochain"]


def input_stages(req, chain):
    """Put the configured and added input filters of ``req`` into ``chain``."""
    for name in configured_filters(req, output=False) + list(req.__dict__.get("_added_input", ())):
        _add(req, chain, name, output=False)


def configured_filters(req, output):
    """``SetOutputFilter`` names, then ``AddOutputFilter`` ones for the file's extensions."""
    config = req._config
    names = list((config.set_output_filter if output else config.set_input_filter) or ())
    by_ext = config.add_output_filters if output else config.add_input_filters
    if by_ext and req.filename:
        # mod_mime looks at every extension of the file name, in order.
        base = req.filename.rstrip("/").rsplit("/", 1)[-1]
        for ext in base.lower().split(".")[1:]:
            names.extend(by_ext.get("." + ext, ()))
    return names


def add_filter(req, name, output):
    """``req.add_output_filter``/``add_input_filter``: activate ``name`` for this request."""
    body = req.__dict__.get("_body")
    if output:
        _add(req, output_chain(req, create=True), name, output=True)
    elif body is None:
        req.__dict__.setdefault("_added_input", []).append(name)
    elif body.remaining != 0 or body.chain is not None:
        # Reading has begun: the filter sees what is still to come.
        if body.chain is None:
            body.chain = InputChain(req, body)
        _add(req, body.chain, name, output=False)


def _add(req, chain, name, output):
    registered = req.__dict__.get("_registered_output" if output else "_registered_input", {})
    stage = None
    if name in registered:
        # Filters registered for this request are found by their exact name.
        entry = registered[name]
        stage = PythonFilter(req, PYTHON_FILTER, entry, entry.directory, not output)
    else:
        key = name.lower()
        configured = (req._config.output_filters if output else req._config.input_filters).get(key)
        from modpy_compat.deflate import NATIVE_INPUT, NATIVE_OUTPUT
        natives = NATIVE_OUTPUT if output else NATIVE_INPUT
        if configured is not None:
            from modpy_compat.phases import handler_directory
            stage = PythonFilter(req, key, configured, handler_directory(req, configured), not output)
        elif key in natives:
            stage = natives[key](req)
    if stage is None:
        # Apache: "an unknown filter was not added" (AH00082), and the request goes on.
        req.log_error("an unknown filter was not added: %s" % name, APLOG_WARNING)
        return chain
    if chain is None:
        chain = OutputChain(req)
    chain.add(stage)
    return chain


def finish(req):
    """Send the end of the stream through ``req``'s output filters (after its content phase).

    The filters see it even when nothing was written, as in Apache.
    """
    if not req.__dict__.get("_filters_abandoned"):
        chain = output_chain(req)
        if chain is not None:
            chain.close()


def abandon(req):
    """Drop ``req``'s filtered output that waits: an error page or a redirect replaces it."""
    req.__dict__["_filters_abandoned"] = True
    chain = req.__dict__.get("_ochain")
    if chain is not None:
        chain.abandon()


def send_file(req, fh, offset, length):
    """``req.sendfile`` through the output filters: the file's bytes, then a FLUSH."""
    chain = output_chain(req)
    with fh:
        fh.seek(offset)
        left = length
        while left > 0:
            data = fh.read(min(_FILE_BLOCK, left))
            if not data:
                break
            left -= len(data)
            chain.write(data, flush=False)
    chain.flush()
    return length - left


# -- calling a filter function (mod_python's FilterDispatch) ------------------------------------

def dispatch(stage, fltr):
    """Call the filter function of ``stage`` with ``fltr``, as mod_python's dispatcher does.

    The filter is flushed afterwards unless it closed.  ``SERVER_RETURN``
    ends the call (its status, if any, goes to ``req.status``).  Any other
    exception disables the filter for the rest of the request, is logged, and
    with ``PythonDebug On`` its traceback is written through the filter.
    """
    req = stage.req
    try:
        function = _load(stage, fltr)
        function(fltr)
        if not fltr._closed:
            fltr.flush()
    except SERVER_RETURN as exc:
        args = exc.args
        if len(args) == 2 and args[1]:
            req.status = args[1]
        if not args or type(args[0]) is not int:
            req.log_error("Value raised with SERVER_RETURN is invalid. It is a %s, but it must be "
                          "a tuple or an int." % (type(args[0]) if args else None))
    except Exception:
        stage.transparent = True
        _report(stage, fltr, sys.exc_info())


def _load(stage, fltr):
    req = stage.req
    if callable(stage.handler):
        return stage.handler  # mod_python 3.3.1 took callables in req.register_*_filter
    config = req._config
    loader = req._gateway.loader
    entry = stage.entry
    # A filter registered without a directory is looked for where the request's
    # handler lives, so that it is the very module the handler was loaded from.
    hlist = req.hlist
    directory = stage.directory or (hlist.directory if hlist is not None and not hlist.is_location
                                    else None)
    module_name, _, obj_str = stage.handler.partition("::")
    python_path = config.python_config.get("PythonPath")
    if python_path:
        loader.apply_python_path(python_path)
    elif directory and not entry.is_location:
        loader.add_directory(directory)
    module = loader.import_module(
        module_name, directory=None if entry.is_location else directory,
        autoreload=config.autoreload(), log_imports=config.debug(), interpreter=req.interpreter)
    from modpy_compat.loader import resolve_object
    default = DEFAULT_FUNCTIONS["PythonInputFilter" if stage.is_input else "PythonOutputFilter"]
    return resolve_object(module, obj_str or default, fltr)


def _report(stage, fltr, exc_info):
    req = stage.req
    head = "%s %s" % (stage.name, stage.handler)
    lines = traceback.format_exception(*exc_info)
    errors = req._environ.get("wsgi.errors", sys.stderr)
    errors.write("[client %s] %s: error handling %s\n" % (req.connection.client_ip, head, req.the_request))
    for line in "".join(lines).splitlines():
        errors.write("%s: %s\n" % (head, line))
    errors.flush()
    if not req._config.debug():
        return
    req.status = HTTP_INTERNAL_SERVER_ERROR
    req.content_type = "text/html"
    report = ['\n<pre>\nMod_python error: "%s"\n\n' % escape(head, quote=False)]
    report.extend(escape(line) + "\n" for line in lines)
    report.append("</pre>\n")
    try:
        fltr.write("".join(report))
        fltr.flush()
    except Exception:
        traceback.print_exc(file=errors)
