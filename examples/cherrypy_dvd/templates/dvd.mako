<%inherit file="base.mako"/>
<%def name="title()">${dvd[1]}</%def>
<p>Directed by ${dvd[2]}${', %s' % dvd[3] if dvd[3] else ''}.</p>
<p><a href="${url('/')}">Back to the list</a></p>
