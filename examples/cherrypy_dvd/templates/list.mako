<%inherit file="base.mako"/>
<%def name="title()">My DVDs</%def>
<table>
<tr><th>Title</th><th>Director</th><th>Year</th></tr>
% for id, title, director, year in dvds:
<tr><td><a href="${url('/dvd', qs={'id': id})}">${title}</a></td><td>${director}</td><td>${year or ''}</td></tr>
% endfor
</table>
<h2>Add a DVD</h2>
% if error:
<p class="error">${error}</p>
% endif
<form method="post" action="${url('/add')}">
<p><label>Title <input name="title" value="${form['title']}"></label></p>
<p><label>Director <input name="director" value="${form['director']}"></label></p>
<p><label>Year <input name="year" value="${form['year']}"></label></p>
<p><input type="submit" value="Add"></p>
</form>
