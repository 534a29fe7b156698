"""A feedback form as a classic CGI script: GET shows the form, POST checks it.

A valid submission is answered with a redirect to thanks.py (303 See Other, so that
reloading the thank-you page does not post again); a submission without a name is
answered 400 with the form and a message.  It reads the form itself, with
urllib.parse, from QUERY_STRING and standard input: the cgi module is gone from
Python 3.13.
"""
import html
import os
import sys
from urllib.parse import parse_qs, urlencode

FORM = """<form method="post" action="feedback.py">
<p><label>Name <input name="name" value="%(name)s"></label></p>
<p><label>Message <textarea name="message">%(message)s</textarea></label></p>
<p><input type="submit" value="Send"></p>
</form>"""


def read_form():
    """The submitted fields, a dict of name -> first value."""
    if os.environ.get("REQUEST_METHOD") == "POST":
        length = int(os.environ.get("CONTENT_LENGTH") or 0)
        data = sys.stdin.read(length)
    else:
        data = os.environ.get("QUERY_STRING", "")
    return {name: values[0] for name, values in parse_qs(data).items()}


def page(title, body):
    print("Content-Type: text/html; charset=utf-8")
    print()
    print("<!DOCTYPE html>\n<html><head><title>%s</title></head><body>" % html.escape(title))
    print("<h1>%s</h1>\n%s\n</body></html>" % (html.escape(title), body))


form = read_form()
name = form.get("name", "").strip()
message = form.get("message", "").strip()
if os.environ.get("REQUEST_METHOD") != "POST":
    page("Feedback", FORM % {"name": "", "message": ""})
elif not name:
    print("Status: 400 Bad Request")
    page("Feedback", '<p class="error">Please give your name.</p>\n'
         + FORM % {"name": "", "message": html.escape(message)})
else:
    print("Status: 303 See Other")
    print("Location: thanks.py?" + urlencode({"name": name}))
    print("Content-Type: text/plain")
    print()
    print("See thanks.py")
