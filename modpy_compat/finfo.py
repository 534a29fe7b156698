"""File information objects (``req.finfo``, ``apache.stat()``; mod_python's ``mp_finfo``).

What APR's ``apr_stat`` reports on Linux, as mod_python 3.5 shows it: every
field is filled whatever ``wanted`` asked for (``valid`` says so), times are
whole seconds, ``protection`` uses APR's permission bits (``0o644`` reads
``0x644``) and ``name`` stays None.  A missing file is not an error: only
``fname`` and ``filetype`` (``APR_NOFILE``) are set.
"""
from __future__ import annotations

import os
import stat as _stat

from modpy_compat.constants import (
    APR_BLK, APR_CHR, APR_DIR, APR_FINFO_CSIZE, APR_FINFO_NLINK, APR_FINFO_NORM, APR_LNK,
    APR_NOFILE, APR_PIPE, APR_REG, APR_SOCK, APR_UNKFILE)

_FIELDS = ("protection", "inode", "device", "nlink", "user", "group", "size", "atime", "mtime",
           "ctime", "fname", "name", "filetype")
# What apr_stat fills on Linux (checked on mod_python 3.5: 0x73f370 for any ``wanted``).
_VALID = APR_FINFO_NORM | APR_FINFO_NLINK | APR_FINFO_CSIZE

# (stat bit, APR permission bit): APR spells each octal digit as a hex digit.
_PERMISSIONS = ((_stat.S_ISUID, 0x8000), (_stat.S_IRUSR, 0x0400), (_stat.S_IWUSR, 0x0200),
                (_stat.S_IXUSR, 0x0100), (_stat.S_ISGID, 0x4000), (_stat.S_IRGRP, 0x0040),
                (_stat.S_IWGRP, 0x0020), (_stat.S_IXGRP, 0x0010), (_stat.S_ISVTX, 0x2000),
                (_stat.S_IROTH, 0x0004), (_stat.S_IWOTH, 0x0002), (_stat.S_IXOTH, 0x0001))


class mp_finfo:
    """What ``apr_stat`` reports about a file; None for the fields of a missing file."""

    __slots__ = _FIELDS + ("valid",)

    def __init__(self, fname, st=None):
        self.fname = fname
        self.name = None
        if st is None:
            self.filetype = APR_NOFILE
            self.valid = None
            for field in _FIELDS[:10]:
                setattr(self, field, None)
            return
        self.filetype = _filetype(st.st_mode)
        self.valid = _VALID
        self.protection = apr_permissions(st.st_mode)
        self.inode, self.device, self.nlink = st.st_ino, st.st_dev, st.st_nlink
        self.user, self.group, self.size = st.st_uid, st.st_gid, st.st_size
        self.atime, self.mtime, self.ctime = int(st.st_atime), int(st.st_mtime), int(st.st_ctime)

    def __getitem__(self, index):
        # mod_python's FINFO_FILETYPE (12) is off by one and raises; we answer it.
        if not isinstance(index, int) or not 0 <= index < len(_FIELDS):
            raise IndexError("tuple index out of range")
        return getattr(self, _FIELDS[index])

    def __repr__(self):
        fields = ("fname", "filetype", "valid", "protection", "user", "group", "size", "inode",
                  "device", "nlink", "atime", "mtime", "ctime", "name")
        return repr({field: getattr(self, field) for field in fields})


def apr_permissions(mode: int) -> int:
    """``st_mode`` permission bits in APR's notation (``0o755`` -> ``0x755``)."""
    return sum(apr for bit, apr in _PERMISSIONS if mode & bit)


def _filetype(mode):
    for test, kind in ((_stat.S_ISREG, APR_REG), (_stat.S_ISDIR, APR_DIR), (_stat.S_ISLNK, APR_LNK),
                       (_stat.S_ISCHR, APR_CHR), (_stat.S_ISBLK, APR_BLK), (_stat.S_ISFIFO, APR_PIPE),
                       (_stat.S_ISSOCK, APR_SOCK)):
        if test(mode):
            return kind
    return APR_UNKFILE


def finfo_for(fname, st=None):
    """An :class:`mp_finfo` for ``fname`` (stat'ed, following symlinks, unless ``st`` is given).

    :raises OSError: ``(errno, "apr_stat() failed")`` when the file exists but
        cannot be examined (a missing one is not an error).
    """
    if st is None:
        try:
            st = os.stat(fname)
        except FileNotFoundError:
            st = None
        except OSError as exc:
            raise OSError(exc.errno, "apr_stat() failed")
    return mp_finfo(fname, st)
