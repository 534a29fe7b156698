"""Checks Basic-auth credentials against the users table of a SQLite database.

``PythonOption users_db`` names the database file; without it the database
is built from users.sql (one user, john/secret) in the temporary directory
the first time it is needed.
"""
import hashlib
import os
import sqlite3
import tempfile

from mod_python import apache

HERE = os.path.dirname(os.path.abspath(__file__))


def _database(req):
    path = req.get_options().get("users_db") or os.path.join(
        tempfile.gettempdir(), "modpy_tutorial_users.sqlite")
    if not os.path.exists(path):
        with open(os.path.join(HERE, "users.sql")) as fh:
            script = fh.read()
        db = sqlite3.connect(path)
        with db:
            db.executescript(script)
        db.close()
    return sqlite3.connect(path)


def authenhandler(req):
    password = req.get_basic_auth_pw()
    user = req.user
    if user is None or password is None:
        return apache.HTTP_UNAUTHORIZED
    db = _database(req)
    try:
        row = db.execute("SELECT pw_sha256 FROM users WHERE name = ?", (user,)).fetchone()
    finally:
        db.close()
    if row and row[0] == hashlib.sha256(password.encode("utf-8")).hexdigest():
        return apache.OK
    return apache.HTTP_UNAUTHORIZED
