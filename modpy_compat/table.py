"""The ``apache.table`` type: ordered, case-insensitive string pairs with duplicates.

Emulates mod_python's ``mp_table``, its wrapper around Apache's ``apr_table_t``.
``req.headers_in``, ``headers_out``, ``err_headers_out``, ``subprocess_env``,
``notes`` and ``get_options()`` are all tables.  The rules users rely on:

* keys compare case-insensitively, and the spelling first stored is kept;
* ``t[k] = v`` is Apache's *set*: it rewrites the first entry in place and
  drops the other entries with that key, while ``t.add(k, v)`` appends a
  duplicate (how several ``Set-Cookie`` headers are sent);
* ``t[k]`` returns a list when the key occurs more than once.

Deliberate differences from mod_python 3.3.1: ``str`` subclasses are accepted
as keys and values (stored as plain ``str``), and ``bytes`` are accepted and
decoded as latin-1, as mod_python's development head does.

Entries live in a list of ``(key, value)`` tuples; a dict maps each lower-cased
key to the positions of its entries, so lookups, *set* on a key that occurs
once, and *add* cost O(1).  Removing entries costs O(n) (n is the number of
entries, a few dozen at most for headers).  A table belongs to one request and
is not thread-safe.
"""
from __future__ import annotations

__all__ = ["mp_table", "table"]

_CHANGED_SIZE = "table changed size during iteration"


def _strict_key(key) -> str:
    """Return *key* as a plain ``str``, or raise ``TypeError`` (non-``str`` path)."""
    if isinstance(key, str):
        # str.__str__ copies a subclass instance's characters into a plain str
        return str.__str__(key)
    if isinstance(key, bytes):
        return key.decode("latin-1")
    raise TypeError("table keys must be strings")


def _strict_value(value) -> str:
    """Return *value* as a plain ``str``, or raise ``TypeError`` (non-``str`` path)."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    raise TypeError("table values must be strings")


def _fold(key) -> str:
    """Return the index form of a lookup key that is not a plain ``str``."""
    # callers fold plain str inline (key.lower()): lookups are on the request path
    return _strict_key(key).lower()


def _loose(obj) -> str:
    """Convert anything to ``str`` the way the constructor and ``update`` do."""
    if isinstance(obj, bytes):
        return obj.decode("latin-1")
    return str(obj)


def _walk(entries: list, size: int):
    """Yield *entries* one by one, failing if their number is no longer *size*."""
    position = 0
    while True:
        if len(entries) != size:
            raise RuntimeError(_CHANGED_SIZE)
        if position == size:
            return
        yield entries[position]
        position += 1


def _as_dict(mapping) -> dict:
    """Convert a table or mapping to a dict through ``keys()`` and ``[]``."""
    return {key: mapping[key] for key in mapping.keys()}


class mp_table:
    """An ordered table of string pairs with case-insensitive keys (``apache.table``).

    :param arg: optional initial content.  A mapping (anything with ``keys()``)
        or an iterable of 2-item sequences; each key and value goes through
        ``str()`` (``bytes`` are decoded as latin-1) and is stored with *set*
        semantics, so a later pair replaces an earlier one with the same key.
        Built from another table, duplicates collapse with the last value
        winning, as in :meth:`copy`.
    :raises TypeError: an item of the iterable is not a sequence.
    :raises ValueError: an item of the iterable does not have exactly 2 items.
    """

    __slots__ = ("_entries", "_index")

    # Invariants: ``_entries`` is the same list object for the table's whole
    # life (iterators hold on to it) and only ever holds (str, str) tuples;
    # ``_index`` maps key.lower() to the ascending positions of that key's
    # entries and never holds an empty list.

    def __new__(cls, *args, **kwargs):
        # Set up here rather than in __init__ so a subclass whose __init__
        # does not call ours still gets a working table.
        self = super().__new__(cls)
        self._entries = []
        self._index = {}
        return self

    def __init__(self, arg=None):
        if arg is None:
            return
        if hasattr(arg, "keys"):
            self.update(arg)
            return
        pairs = []
        for number, item in enumerate(arg):
            try:
                pair = tuple(item)
            except TypeError:
                raise TypeError("cannot convert table update sequence element #%d to a sequence"
                                % number) from None
            if len(pair) != 2:
                raise ValueError("table update sequence element #%d has length %d; 2 is required"
                                 % (number, len(pair)))
            pairs.append(pair)
        for key, value in pairs:
            self._set(_loose(key), _loose(value))

    @classmethod
    def from_pairs_unchecked(cls, pairs) -> mp_table:
        """Build a table from ``(key, value)`` tuples of plain ``str``, unchecked.

        A modpy_compat extension for the engine (``headers_in`` from the WSGI
        environ, ``headers_out`` from a header list).  Every pair is kept as
        given, duplicates included, as if added with :meth:`add`; nothing is
        validated or converted.  ``__init__`` is not called.
        """
        self = cls.__new__(cls)
        self._entries.extend(pairs)
        self._reindex()
        return self

    # -- internals -----------------------------------------------------------

    def _reindex(self) -> None:
        index = {}
        for position, (key, _) in enumerate(self._entries):
            folded = key.lower()
            positions = index.get(folded)
            if positions is None:
                index[folded] = [position]
            else:
                positions.append(position)
        self._index = index

    def _append(self, key: str, folded: str, value: str) -> None:
        positions = self._index.get(folded)
        if positions is None:
            self._index[folded] = [len(self._entries)]
        else:
            positions.append(len(self._entries))
        self._entries.append((key, value))

    def _set(self, key: str, value: str) -> None:
        """Apache's apr_table_set on already converted strings."""
        folded = key.lower()
        positions = self._index.get(folded)
        if positions is None:
            self._index[folded] = [len(self._entries)]
            self._entries.append((key, value))
            return
        first = positions[0]
        # the first entry keeps its spelling and its place; only the value changes
        self._entries[first] = (self._entries[first][0], value)
        if len(positions) > 1:
            self._drop(positions[1:])

    def _drop(self, positions) -> None:
        doomed = set(positions)
        self._entries[:] = [entry for position, entry in enumerate(self._entries)
                            if position not in doomed]
        self._reindex()

    def _raw_items(self) -> list:
        """Return the table's own list of ``(key, value)`` tuples, not a copy.

        A modpy_compat extension for the engine, to hand headers to WSGI's
        ``start_response`` without copying.  The list must not be modified,
        and it changes as the table does; give ``items()`` to code you do
        not control.
        """
        return self._entries

    # -- lookup --------------------------------------------------------------

    def __getitem__(self, key):
        positions = self._index.get(key.lower() if type(key) is str else _fold(key))
        if positions is None:
            raise KeyError(key)
        entries = self._entries
        if len(positions) == 1:
            return entries[positions[0]][1]
        # several entries: all values, in insertion order (mod_python's list result)
        return [entries[position][1] for position in positions]

    def get(self, key, default=None):
        """Return the value of the first entry for *key*, or *default*; never a list."""
        positions = self._index.get(key.lower() if type(key) is str else _fold(key))
        if positions is None:
            return default
        return self._entries[positions[0]][1]

    def __contains__(self, key) -> bool:
        return (key.lower() if type(key) is str else _fold(key)) in self._index

    def has_key(self, key) -> int:
        """Return ``1`` if the table has an entry for *key*, else ``0`` (an int, as mod_python)."""
        return 1 if self.__contains__(key) else 0

    def __len__(self) -> int:
        return len(self._entries)

    # -- modification --------------------------------------------------------

    def __setitem__(self, key, value) -> None:
        if type(key) is not str:
            key = _strict_key(key)
        if type(value) is not str:
            value = _strict_value(value)
        self._set(key, value)

    def add(self, key, value) -> None:
        """Append an entry for *key*, even if the table already has one.

        :raises TypeError: *key* or *value* is not a string.
        """
        if type(key) is not str:
            key = _strict_key(key)
        if type(value) is not str:
            value = _strict_value(value)
        self._append(key, key.lower(), value)

    def __delitem__(self, key) -> None:
        # unlike a dict, deleting a missing key is not an error (apr_table_unset)
        positions = self._index.get(key.lower() if type(key) is str else _fold(key))
        if positions is not None:
            self._drop(positions)

    def setdefault(self, key, default=""):
        """Return the first value for *key*; if there is none, set it to *default* first.

        :raises TypeError: *key*, or the *default* that would be stored, is not a string.
        """
        if type(key) is not str:
            key = _strict_key(key)
        folded = key.lower()
        positions = self._index.get(folded)
        if positions is not None:
            return self._entries[positions[0]][1]
        value = default if type(default) is str else _strict_value(default)
        self._append(key, folded, value)
        return value

    def update(self, mapping) -> None:
        """Set every key of *mapping* to its value, converting both with ``str()``.

        From another table, each of its entries is set in turn, so duplicates
        collapse with the last value winning.

        :raises AttributeError: *mapping* has no ``keys()`` (``update(None)``).
        """
        if isinstance(mapping, mp_table):
            for key, value in list(mapping._entries):
                self._set(key, value)
            return
        for key in mapping.keys():
            self._set(_loose(key), _loose(mapping[key]))

    def copy(self) -> mp_table:
        """Return a new table of the same class in which duplicate keys are collapsed.

        Each key keeps its first spelling and position and takes its last
        value, as Apache's table overlay does.  ``__init__`` is not called.
        """
        entries = self._entries
        # sorting the position lists orders the keys by first occurrence
        return type(self).from_pairs_unchecked(
            [(entries[positions[0]][0], entries[positions[-1]][1])
             for positions in sorted(self._index.values())])

    def clear(self) -> None:
        """Remove every entry."""
        del self._entries[:]
        self._index = {}

    def popitem(self) -> tuple:
        """Remove the first entry and return it as a ``(key, value)`` pair.

        :raises KeyError: the table is empty.
        """
        if not self._entries:
            raise KeyError("popitem(): table is empty")
        entry = self._entries.pop(0)
        self._reindex()
        return entry

    # -- iteration (duplicates included, insertion order) ---------------------

    def __iter__(self):
        return (key for key, _ in _walk(self._entries, len(self._entries)))

    iterkeys = __iter__

    def keys(self) -> list:
        """Return the keys as a list, in insertion order, duplicates repeated."""
        return [key for key, _ in self._entries]

    def values(self) -> list:
        """Return the values as a list, in insertion order."""
        return [value for _, value in self._entries]

    def itervalues(self):
        """Iterate over the values in insertion order."""
        return (value for _, value in _walk(self._entries, len(self._entries)))

    def items(self) -> list:
        """Return the entries as a list of ``(key, value)`` tuples, in insertion order."""
        return self._entries[:]

    def iteritems(self):
        """Iterate over the entries as ``(key, value)`` tuples, in insertion order."""
        return _walk(self._entries, len(self._entries))

    # -- comparison, representation -------------------------------------------

    def __eq__(self, other):
        # mod_python compares the dicts built from both sides, so a table
        # equals a dict with the same keys (exact spelling) and values
        if not hasattr(other, "keys"):
            return NotImplemented
        return _as_dict(self) == _as_dict(other)

    def __ne__(self, other):
        if not hasattr(other, "keys"):
            return NotImplemented
        return _as_dict(self) != _as_dict(other)

    def __hash__(self):
        raise TypeError("mp_table objects are unhashable")

    def __repr__(self) -> str:
        # mod_python's repr lists the entries last first; so does ours
        return "{%s}" % ", ".join("%r: %r" % entry for entry in reversed(self._entries))

    def __reduce__(self):
        # copy.copy, copy.deepcopy and pickle get an independent table with
        # every entry kept (duplicates too), plus any subclass attributes
        return (type(self).from_pairs_unchecked, (self._entries[:],),
                getattr(self, "__dict__", None) or None)


table = mp_table
