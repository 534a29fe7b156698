<%doc>Apache's built-in error page (status, reason, one explanatory paragraph).</%doc>\
<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html><head>
<title>${status} ${reason}</title>
</head><body>
<h1>${reason}</h1>
${message | n}\
% if additional:
<p>Additionally, a ${additional} ${additional_reason}
error was encountered while trying to use an ErrorDocument to handle the request.</p>
% endif
</body></html>
