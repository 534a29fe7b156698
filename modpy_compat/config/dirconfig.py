"""Per-directory configuration: what one section sets, and the merged result.

Apache builds one configuration per request by merging, in a fixed order, the
sections that apply to it.  A :class:`DirConfig` is both things: the
*fragment* a single section (or a server body) sets, and the *merged* view a
request sees.  Two merge rules cover every directive we emulate:

* override fields: the more specific section wins when it sets the field;
* table fields (dicts): merged key by key, the more specific section winning
  per key.  ``Python*Handler`` lists are such a table keyed by directive (and
  ``| .ext``), which is exactly mod_python's "a more specific section replaces
  the whole inherited list of that directive" rule (Doc/directives.rst).
"""
from __future__ import annotations

from typing import NamedTuple

UNSET = None  # override fields left as None inherit from the parent

OVERRIDE_FIELDS = (
    "handler",             # SetHandler; "" means SetHandler None (clears)
    "force_type",          # ForceType
    "default_type",        # DefaultType (2.2); None means no Content-Type
    "directory_index",     # DirectoryIndex, a tuple of names
    "directory_slash",     # DirectorySlash, bool
    "auth_type",
    "auth_name",
    "requires",            # tuple of Requirement, replaced as a whole (AuthMerging Off)
    "limit_request_body",  # int bytes, 0 = unlimited
    "accept_path_info",    # AcceptPathInfo: "on", "off", "default"
    "set_output_filter",   # tuple of filter names
    "set_input_filter",
    "add_default_charset",  # "" when Off
)
TABLE_FIELDS = (
    "python_handlers",    # "PythonHandler" / "PythonHandler.py" -> tuple of HandlerEntry
    "python_config",      # PythonDebug, PythonAutoReload, ... -> "1"/"0"/str
    "python_options",     # PythonOption key -> value ("" marks removal)
    "add_handlers",       # ".py" -> handler name, or "" after RemoveHandler
    "add_types",          # ".txt" -> "text/plain"
    "add_encodings",      # ".gz" -> "gzip"
    "add_languages",      # ".en" -> "en"
    "add_charsets",       # ".html" -> "UTF-8"
    "error_documents",    # 404 -> "/missing.html" or '"text'
    "set_env",            # name -> value, or None after UnsetEnv
    "output_filters",     # PythonOutputFilter registrations: lower-cased name -> HandlerEntry
    "input_filters",
    "add_output_filters",  # ".py" -> tuple of filter names
    "add_input_filters",
)


class HandlerEntry(NamedTuple):
    """One handler named by a ``Python*Handler`` directive.

    ``directory`` is the handler directory mod_python computes from the
    directive's context (a ``<Directory>`` path with a trailing ``/``, a
    ``<Location>`` string, or None at server level); ``dir_pattern`` holds the
    compiled pattern of a regex ``<Directory>`` whose directory is only known
    per request.
    """

    handler: str
    directory: str | None = None
    is_location: bool = False
    silent: bool = False
    dir_pattern: object = None
    filename: str | None = None
    lineno: int | None = None


class Requirement(NamedTuple):
    """One ``Require`` line: its raw argument text and the methods it is limited to."""

    text: str
    methods: frozenset | None = None  # None: every method (not inside <Limit>)
    negate: bool = False              # inside <LimitExcept>


class DirConfig:
    """The configuration one section sets, or a merged per-request view.

    Instances are treated as immutable once built: merging returns a new one.
    """

    __slots__ = OVERRIDE_FIELDS + TABLE_FIELDS + ("options", "_phases")

    def __init__(self):
        for name in OVERRIDE_FIELDS:
            setattr(self, name, UNSET)
        for name in TABLE_FIELDS:
            setattr(self, name, {})
        # Options: (absolute set or None, added, removed), as Apache merges them.
        self.options = (None, frozenset(), frozenset())

    def merge(self, child: "DirConfig") -> "DirConfig":
        """Return this configuration overlaid with the more specific ``child``."""
        merged = DirConfig()
        for name in OVERRIDE_FIELDS:
            value = getattr(child, name)
            setattr(merged, name, getattr(self, name) if value is UNSET else value)
        for name in TABLE_FIELDS:
            mine, theirs = getattr(self, name), getattr(child, name)
            if name == "python_options" and mine and theirs:
                options = dict(mine)
                for key, value in theirs.items():
                    set_option(options, key, value)
                setattr(merged, name, options)
                continue
            setattr(merged, name, {**mine, **theirs} if mine and theirs else (theirs or mine))
        merged.options = _merge_options(self.options, child.options)
        return merged

    def has_option(self, name: str) -> bool:
        """True when Apache ``Options`` ``name`` (e.g. ``"Indexes"``) is in effect."""
        absolute, added, removed = self.options
        base = absolute if absolute is not None else DEFAULT_OPTIONS
        return (name in base or name in added) and name not in removed

    def handler_phases(self) -> frozenset:
        """The phases with configured handlers (with or without ``| .ext``)."""
        try:
            return self._phases
        except AttributeError:
            self._phases = frozenset(key.split(".", 1)[0] for key in self.python_handlers)
            return self._phases

    def debug(self) -> bool:
        return self.python_config.get("PythonDebug") == "1"

    def autoreload(self) -> bool:
        return self.python_config.get("PythonAutoReload", "1") == "1"


def set_option(options: dict, key: str, value: str):
    """Set a ``PythonOption``: keys are case-insensitive and keep their first spelling.

    mod_python keeps options in an Apache table: a later ``PythonOption A x``
    overrides (or, with ``""``, removes) an inherited ``a`` in its place.
    """
    for existing in options:
        if existing.lower() == key.lower():
            options[existing] = value
            return
    options[key] = value


# Apache 2.4's default is FollowSymlinks only.
DEFAULT_OPTIONS = frozenset(["FollowSymLinks"])


def _merge_options(parent, child):
    absolute, added, removed = child
    if absolute is not None:
        return child
    p_abs, p_added, p_removed = parent
    if p_abs is not None:
        return ((p_abs | p_added | added) - p_removed - removed, frozenset(), frozenset())
    return (None, (p_added - removed) | added, (p_removed - added) | removed)
