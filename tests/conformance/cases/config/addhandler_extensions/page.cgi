file page.cgi
