import sys

data = sys.stdin.read()
print("Status: 201 Created")
print("Content-Type: text/plain")
print()
print("read %d characters: %s" % (len(data), data))
