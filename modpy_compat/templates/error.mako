<%doc>Apache's built-in error page (status, reason, one explanatory paragraph).</%doc>\
<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>${status} ${reason}</title>
</head><body>
<h1>${reason}</h1>
${message | n}\
% if additional:
<p>Additionally, a ${additional} ${additional_reason}
error was encountered while trying to use an ErrorDocument to handle the request.</p>
% endif
<hr>
<address>${signature}</address>
</body></html>
