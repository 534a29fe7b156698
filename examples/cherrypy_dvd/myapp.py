"""The DVD list: a CherryPy application with Mako templates and an SQLite database.

It runs the classic ways a CherryPy 3 site ran:

* inside Apache with mod_python, through ``cherrypy._cpmodpy`` (site.conf: the list at ``/``;
  site-user1.conf: a second list, with its own database, at ``<Location /user1>``)::

      PythonHandler cherrypy._cpmodpy::handler
      PythonOption cherrypy.setup myapp::setup_server

  ``modpy-compat serve --config examples/cherrypy_dvd/site.conf`` serves it the same way;
* on CherryPy's own server: ``python myapp.py`` (:func:`start_standalone`).

The databases live in ``$DVD_DATA_DIR`` (default: ``cherrypy_dvd`` in the temporary
directory) and start with a few DVDs.

On Python 3, ``cherrypy._cpmodpy`` sends every response as text/plain, on Apache + mod_python 3.5
as on modpy_compat (a CherryPy bug: see :func:`fix_cpmodpy_content_type`, which
:func:`start_modpython` applies).
"""
import os
import sqlite3
import tempfile

import cherrypy
from mako.lookup import TemplateLookup

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = TemplateLookup(directories=[os.path.join(HERE, "templates")], input_encoding="utf-8",
                           default_filters=["str", "h"])
SAMPLE = [("Casablanca", "Michael Curtiz", 1942), ("Metropolis", "Fritz Lang", 1927),
          ("Seven Samurai", "Akira Kurosawa", 1954)]


class DVDList:
    """The pages of one DVD list, kept in the SQLite file ``database``."""

    def __init__(self, database):
        self.database = database
        os.makedirs(os.path.dirname(database), exist_ok=True)
        with self._db() as db:
            db.execute("CREATE TABLE IF NOT EXISTS dvd (id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
                       " director TEXT NOT NULL, year INTEGER)")
            if not db.execute("SELECT COUNT(*) FROM dvd").fetchone()[0]:
                db.executemany("INSERT INTO dvd (title, director, year) VALUES (?, ?, ?)", SAMPLE)

    def _db(self):
        return sqlite3.connect(self.database)

    def _page(self, name, **values):
        return TEMPLATES.get_template(name).render(url=cherrypy.url, **values)

    @cherrypy.expose
    def index(self, error=None, title="", director="", year=""):
        with self._db() as db:
            dvds = db.execute("SELECT id, title, director, year FROM dvd ORDER BY title").fetchall()
        return self._page("list.mako", dvds=dvds, error=error, form={
            "title": title, "director": director, "year": year})

    @cherrypy.expose
    def dvd(self, id):
        with self._db() as db:
            row = db.execute("SELECT id, title, director, year FROM dvd WHERE id = ?", (id,)).fetchone()
        if row is None:
            raise cherrypy.NotFound()
        return self._page("dvd.mako", dvd=row)

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["POST"])
    def add(self, title="", director="", year=""):
        title, director, year = title.strip(), director.strip(), year.strip()
        if not title or not director or (year and not year.isdigit()):
            cherrypy.response.status = 400
            return self.index(error="A DVD needs a title, a director and, if given, a numeric year.",
                              title=title, director=director, year=year)
        with self._db() as db:
            db.execute("INSERT INTO dvd (title, director, year) VALUES (?, ?, ?)",
                       (title, director, int(year) if year else None))
        raise cherrypy.HTTPRedirect(cherrypy.url("/"), 303)


def data_dir():
    return os.environ.get("DVD_DATA_DIR") or os.path.join(tempfile.gettempdir(), "cherrypy_dvd")


def mount(script_name="", database=None):
    """Mount a DVD list at ``script_name`` (``""`` for the site's root)."""
    database = database or os.path.join(data_dir(), (script_name.strip("/") or "dvd") + ".sqlite")
    config = {"/static": {"tools.staticdir.on": True,
                          "tools.staticdir.dir": os.path.join(HERE, "static")}}
    return cherrypy.tree.mount(DVDList(database), script_name, config)


def fix_cpmodpy_content_type():
    """Make ``cherrypy._cpmodpy`` send the page's own Content-Type.

    ``_cpmodpy.send_response`` sets ``req.content_type = 'text/plain'``, then looks for the
    page's Content-Type by comparing header names with ``'content-type'``; on Python 3
    CherryPy's ``response.header_list`` holds bytes, so it never matches, the header goes to
    ``req.headers_out``, and Apache's rule (``req.content_type`` wins) makes every page, image
    and stylesheet text/plain.  Handing it ``str`` names and values fixes that.
    """
    from cherrypy import _cpmodpy
    original = _cpmodpy.send_response
    if getattr(original, "sends_content_type", False):
        return

    def send_response(req, status, headers, body, stream=False):
        headers = [(_text(name), _text(value)) for name, value in headers]
        return original(req, status, headers, body, stream)
    send_response.sends_content_type = True
    _cpmodpy.send_response = send_response


def _text(value):
    return value.decode("iso-8859-1") if isinstance(value, bytes) else value


def start_modpython(script_name=""):
    """Set the application up inside mod_python: production settings, then mount it."""
    fix_cpmodpy_content_type()
    cherrypy.config.update({"environment": "production", "log.screen": False,
                            "show_tracebacks": False, "tools.encode.encoding": "utf-8"})
    mount(script_name)


def setup_server():
    """``PythonOption cherrypy.setup myapp::setup_server``: the DVD list at ``/``."""
    start_modpython("")


def setup_user1():
    """``PythonOption cherrypy.setup myapp::setup_user1``: user1's DVD list at ``/user1``."""
    start_modpython("/user1")


def start_standalone(port=8080):
    """Serve the DVD list at ``/`` on CherryPy's own HTTP server."""
    cherrypy.config.update({"server.socket_host": "127.0.0.1", "server.socket_port": port})
    mount("")
    cherrypy.engine.start()
    cherrypy.engine.block()


if __name__ == "__main__":
    start_standalone()
