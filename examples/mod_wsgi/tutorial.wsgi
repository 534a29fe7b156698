# mod_wsgi entry point for the tutorial (examples/tutorial/site.conf).
#
# `modpy-compat wsgi-script --config /srv/site/site.conf > /srv/site/site.wsgi`
# writes a script like this one for your own configuration, with absolute
# paths; this sample finds the tutorial next to itself so that it works from
# a checkout.  See docs/deploy-mod_wsgi.md and apache-site.conf.
import os

from modpy_compat import make_app

HERE = os.path.dirname(os.path.abspath(__file__))

application = make_app(os.path.join(HERE, os.pardir, "tutorial", "site.conf"))
