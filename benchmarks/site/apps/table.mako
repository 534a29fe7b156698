<html>
<head><title>PSP table</title></head>
<body>
<h1>Table for ${uri}</h1>
<table>
<tr><th>n</th><th>square</th><th>label</th></tr>
% for n in rows:
<tr><td>${n}</td><td>${n * n}</td><td>row ${n}</td></tr>
% endfor
</table>
<p>${len(rows)} rows</p>
</body>
</html>
