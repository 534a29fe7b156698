<%doc>mod_python.testhandler's diagnostic page: the sections and rows of mod_python's, plus the request's attributes.

Every value is HTML-escaped (mod_python writes them raw).  ``general`` and
``attributes`` are lists of (label, value); ``tables`` a list of (title, [(key, value)]);
``tree`` the lines of the configuration tree.
</%doc>\
<%def name="rows(pairs)">\
<table border="1">
<tr><th>Key</th><th>Value</th></tr>
% for key, value in pairs:
<tr><td><code>${key}</code></td><td><code>${value}</code></td></tr>
% endfor
</table>
</%def>\
<html><head><title>mod_python test page</title></head><body>
<h3>General information</h3>
<table border="1">
% for label, value in general:
<tr><td><code>${label}</code></td><td><code>${value}</code></td></tr>
% endfor
<tr><td><code>Apache error log</code></td><td><code>${error_log}</code>\
% if error_log_link:
 (<a href="?view_log=1" target="_new">view last 100 lines</a>)\
% endif
</td></tr>
<tr><td><code>Python sys.version</code></td><td><code>${python_version}</code></td></tr>
<tr><td><code>Python sys.path</code></td><td><pre>${"\n".join(python_path)}</pre></td></tr>
<tr><td><code>Python interpreter name</code></td><td><code>${interpreter}</code></td></tr>
% for name, available in modules:
<tr><td><code>${name} available</code></td><td><code>${"Yes" if available else "No"}</code></td></tr>
% endfor
</table>
<h3>Request attributes</h3>
${rows(attributes)}
% for title, pairs in tables:
<h3>${title}</h3>
${rows(pairs)}
% endfor
<h3>Server configuration tree</h3>
<pre>
% for line in tree:
${line}
% endfor
</pre>
</body></html>
