"""The tutorial tested without Apache, as docs/testing.md shows."""


def test_custom_handler_says_hello(modpy_client):
    response = modpy_client.get("/CustomExample/x.py")
    assert response.status == "200 OK"
    assert response.content_type == "text/plain"
    assert response.text == "Hello from mod_python!"


def test_secure_area_asks_for_a_password(modpy_client):
    response = modpy_client.get("/AuthenticateExample/", status=401)
    assert response.headers["WWW-Authenticate"] == 'Basic realm="Secure Area"'


def test_john_gets_in_after_the_trailing_slash_redirect(modpy_client):
    modpy_client.authorization = ("Basic", ("john", "secret"))
    response = modpy_client.get("/AuthenticateExample", status=301)
    assert response.location == "http://localhost/AuthenticateExample/"
    response = response.follow()
    assert response.text == "Welcome, john! You are in the secure area.\n"


def test_publisher_function_is_a_page(modpy_client):
    response = modpy_client.get("/PublisherExample/ModPythonExample.py/publisher_example")
    assert response.content_type == "text/html"
    response.mustcontain("<h1>Hello from mod_python.publisher!</h1>")


def test_psp_page_runs_its_code(modpy_client):
    response = modpy_client.get("/PSPExample/index.psp")
    response.mustcontain("<h1>Hello from /PSPExample/index.psp</h1>", "<b>Publisher</b>")
