import sys

print("Content-Type: text/plain")
print("X-Cgi: yes")
print()
print("hello from a CGI script")
sys.stdout.write("written with sys.stdout\n")
