"""The mod_python launcher of the wiki, in the shape TurboGears 1 deployments gave it.

Importing it reads prod.cfg and sets the WSGI application up (``mysite.wiki.setup``); the
configuration names it as ``PythonFixupHandler mysite_modpython::fixuphandler`` so that
mod_python imports it before the content handler, ``modpython_gateway::handler``, looks up
``mysite.wiki::application``.  ``shutdown`` is the ``wsgi.cleanup`` function, run when the
server process exits.
"""
import configparser
import logging
import os

from mod_python import apache

import mysite.wiki

HERE = os.path.dirname(os.path.abspath(__file__))

_config = configparser.ConfigParser(interpolation=None)
_config.read(os.path.join(HERE, "prod.cfg"))
mysite.wiki.setup(dict(_config["global"]))


def fixuphandler(req):
    """Nothing to do per request: the import did the work."""
    return apache.OK


def shutdown():
    """wsgi.cleanup: called without arguments when the process exits."""
    logging.getLogger("mysite").info("wiki shut down with %d pages", len(mysite.wiki.PAGES))
