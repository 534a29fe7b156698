<%doc>The layout every page of the DVD list shares.</%doc>\
<!DOCTYPE html>
<html><head><title>${self.title()} - DVD list</title></head>
<body>
<h1><img src="${url('/static/dvd.png')}" alt="" width="32" height="32"> ${self.title()}</h1>
${next.body()}
</body></html>
