"""File information objects (``req.finfo``, ``apache.stat()``; mod_python's ``mp_finfo``)."""
from __future__ import annotations

import os
import stat as _stat

from modpy_compat.constants import (
    APR_BLK, APR_CHR, APR_DIR, APR_FINFO_NORM, APR_LNK, APR_NOFILE, APR_PIPE, APR_REG, APR_SOCK,
    APR_UNKFILE)

_FIELDS = ("protection", "inode", "device", "nlink", "user", "group", "size", "atime", "mtime",
           "ctime", "fname", "name", "filetype")


class mp_finfo:
    """What ``apr_stat`` reports about a file; None for fields of a missing file."""

    def __init__(self, fname, st=None):
        self.fname = fname
        self.name = os.path.basename(fname.rstrip("/")) if st is not None else None
        self.filetype = _filetype(st.st_mode) if st is not None else APR_NOFILE
        self.valid = APR_FINFO_NORM if st is not None else None
        for field, value in zip(
                ("protection", "inode", "device", "nlink", "user", "group", "size", "atime",
                 "mtime", "ctime"),
                (_stat.S_IMODE(st.st_mode), st.st_ino, st.st_dev, st.st_nlink, st.st_uid,
                 st.st_gid, st.st_size, int(st.st_atime), int(st.st_mtime), int(st.st_ctime))
                if st is not None else (None,) * 10):
            setattr(self, field, value)

    def __getitem__(self, index):
        # mod_python's FINFO_FILETYPE index is off by one and raises; we answer it.
        return getattr(self, _FIELDS[index])

    def __repr__(self):
        return repr({field: getattr(self, field) for field in _FIELDS})


def _filetype(mode):
    for test, kind in ((_stat.S_ISREG, APR_REG), (_stat.S_ISDIR, APR_DIR), (_stat.S_ISLNK, APR_LNK),
                       (_stat.S_ISCHR, APR_CHR), (_stat.S_ISBLK, APR_BLK), (_stat.S_ISFIFO, APR_PIPE),
                       (_stat.S_ISSOCK, APR_SOCK)):
        if test(mode):
            return kind
    return APR_UNKFILE


def finfo_for(fname, st=None):
    """An :class:`mp_finfo` for ``fname`` (stat'ed unless ``st`` is given)."""
    if st is None:
        try:
            st = os.stat(fname)
        except FileNotFoundError:
            st = None
        except OSError as exc:
            raise OSError(exc.errno, "apr_stat() failed")
    return mp_finfo(fname, st)
