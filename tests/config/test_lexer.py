import os

import pytest

from modpy_compat.config.lexer import (
    APACHE_VERSION,
    LOADED_MODULES,
    Directive,
    Section,
    canonical_module_name,
    parse_file,
    parse_string,
    tokenize_args,
)
from modpy_compat.errors import ConfigError


def write(directory, name, text):
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def error_of(text, **kwargs):
    with pytest.raises(ConfigError) as info:
        parse_string(text, "site.conf", **kwargs)
    return info.value


# Lines, comments, continuations

def test_comments_and_blank_lines_are_skipped():
    text = "# a comment\n\n   \n    # indented comment\nServerName example.org\n\t\n"
    assert parse_string(text, "site.conf") == [
        Directive("ServerName", ("example.org",), "example.org", "site.conf", 5),
    ]


def test_directive_name_keeps_its_case_and_surrounding_blanks_are_stripped():
    assert parse_string("   pythonHANDLER   mod.handler   \n", "site.conf") == [
        Directive("pythonHANDLER", ("mod.handler",), "mod.handler", "site.conf", 1),
    ]


def test_directive_without_arguments():
    assert parse_string("<RequireAll>\nFoo\n</RequireAll>\n", "site.conf") == [
        Section("RequireAll", (), "", (Directive("Foo", (), "", "site.conf", 2),), "site.conf", 1),
    ]


def test_continuation_line_is_joined_and_keeps_the_first_lineno():
    text = "ServerName a\nPythonOption key \\\n    value\nDocumentRoot /srv\n"
    assert parse_string(text, "site.conf") == [
        Directive("ServerName", ("a",), "a", "site.conf", 1),
        Directive("PythonOption", ("key", "value"), "key     value", "site.conf", 2),
        Directive("DocumentRoot", ("/srv",), "/srv", "site.conf", 4),
    ]


def test_continuation_over_several_lines_joins_without_adding_characters():
    text = "AddType text/plain\\\n.txt \\\n.text\n"
    assert parse_string(text, "site.conf") == [
        Directive("AddType", ("text/plain.txt", ".text"), "text/plain.txt .text", "site.conf", 1),
    ]


def test_backslash_followed_by_a_blank_does_not_continue():
    text = "Foo a\\ \nBar b\n"
    assert parse_string(text, "site.conf") == [
        Directive("Foo", ("a\\",), "a\\", "site.conf", 1),
        Directive("Bar", ("b",), "b", "site.conf", 2),
    ]


def test_comment_ending_in_backslash_swallows_the_next_line_as_httpd_does():
    text = "# old setting \\\nServerName gone\nServerName kept\n"
    assert parse_string(text, "site.conf") == [
        Directive("ServerName", ("kept",), "kept", "site.conf", 3),
    ]


def test_backslash_on_the_last_line_without_newline_is_kept():
    assert parse_string("Foo a\\", "site.conf") == [
        Directive("Foo", ("a\\",), "a\\", "site.conf", 1),
    ]


def test_crlf_line_endings():
    text = "ServerName a\r\n\r\n<Location />\r\n  SetHandler \\\r\n mod_python\r\n</Location>\r\n"
    assert parse_string(text, "site.conf") == [
        Directive("ServerName", ("a",), "a", "site.conf", 1),
        Section("Location", ("/",), "/", (
            Directive("SetHandler", ("mod_python",), "mod_python", "site.conf", 4),
        ), "site.conf", 3),
    ]


def test_crlf_file_with_utf8_bom(tmp_path):
    path = tmp_path / "site.conf"
    path.write_bytes(b"\xef\xbb\xbfServerName a\r\nDocumentRoot /srv\r\n")
    assert parse_file(path) == [
        Directive("ServerName", ("a",), "a", str(path), 1),
        Directive("DocumentRoot", ("/srv",), "/srv", str(path), 2),
    ]


# Argument tokenising (ap_getword_conf)

@pytest.mark.parametrize("text, args", [
    ("a b\tc", ("a", "b", "c")),
    ('"a b" c', ("a b", "c")),
    ("'a b' c", ("a b", "c")),
    (r'"a\"b"', ('a"b',)),
    (r"'a\'b'", ("a'b",)),
    (r"'a\"b'", (r'a\"b',)),
    ('key ""', ("key", "")),
    ("''", ("",)),
    (r'"C:\www\x"', (r"C:\www\x",)),
    (r"C:\www", (r"C:\www",)),
    (r"a\\b", (r"a\b",)),
    (r'"a\\b"', (r"a\b",)),
    ('a"b c"', ('a"b', 'c"')),
    ('"a"b', ("a", "b")),
    ("  ", ()),
], ids=[
    "whitespace", "double-quotes", "single-quotes", "escaped-double-quote",
    "escaped-single-quote", "other-quote-escape-kept", "empty-double", "empty-single",
    "backslashes-in-quotes", "backslash-outside-quotes", "double-backslash",
    "double-backslash-in-quotes", "quote-inside-word-is-literal", "word-after-closing-quote",
    "blank",
])
def test_tokenize_args(text, args):
    assert tokenize_args(text) == args


def test_tokenize_args_unterminated_quote():
    with pytest.raises(ConfigError) as info:
        tokenize_args('"abc')
    assert info.value.message == "unterminated quoted string"


def test_unterminated_quote_reports_file_and_line():
    err = error_of("ServerName a\n\nPythonOption key 'value\n")
    assert (err.message, err.filename, err.lineno) == (
        "unterminated quoted string", "site.conf", 3)
    assert str(err) == "site.conf:3: unterminated quoted string"


def test_raw_keeps_quotes_and_inner_spacing():
    text = 'PythonImport "my module"   \'main interp\'\n'
    assert parse_string(text, "site.conf") == [
        Directive("PythonImport", ("my module", "main interp"),
                  '"my module"   \'main interp\'', "site.conf", 1),
    ]


def test_empty_quoted_option_value_is_an_empty_argument():
    assert parse_string('PythonOption mykey ""\n', "site.conf") == [
        Directive("PythonOption", ("mykey", ""), 'mykey ""', "site.conf", 1),
    ]


# Sections

def test_nested_sections_with_children_and_line_numbers():
    text = (
        "ServerName example.org\n"
        "<VirtualHost *:80>\n"
        "    DocumentRoot /srv/www\n"
        "    <Directory \"/srv/www/my app\">\n"
        "        SetHandler mod_python\n"
        "        PythonHandler mod_python.publisher\n"
        "    </Directory>\n"
        "    <LocationMatch \"\\.psp$\">\n"
        "    </LocationMatch>\n"
        "</VirtualHost>\n"
        "LogLevel warn\n"
    )
    assert parse_string(text, "site.conf") == [
        Directive("ServerName", ("example.org",), "example.org", "site.conf", 1),
        Section("VirtualHost", ("*:80",), "*:80", (
            Directive("DocumentRoot", ("/srv/www",), "/srv/www", "site.conf", 3),
            Section("Directory", ("/srv/www/my app",), '"/srv/www/my app"', (
                Directive("SetHandler", ("mod_python",), "mod_python", "site.conf", 5),
                Directive("PythonHandler", ("mod_python.publisher",), "mod_python.publisher",
                          "site.conf", 6),
            ), "site.conf", 4),
            Section("LocationMatch", ("\\.psp$",), '"\\.psp$"', (), "site.conf", 8),
        ), "site.conf", 2),
        Directive("LogLevel", ("warn",), "warn", "site.conf", 11),
    ]


def test_section_with_several_arguments_and_blanks_before_the_closing_bracket():
    assert parse_string("<Directory ~ \"^/srv/.*\" >\n</Directory>\n", "site.conf") == [
        Section("Directory", ("~", "^/srv/.*"), '~ "^/srv/.*"', (), "site.conf", 1),
    ]


def test_closing_tag_matches_case_insensitively():
    assert parse_string("<Location /x>\n</LOCATION>\n", "site.conf") == [
        Section("Location", ("/x",), "/x", (), "site.conf", 1),
    ]


def test_closing_tag_without_opening_is_an_error():
    err = error_of("ServerName a\n</Directory>\n")
    assert (err.message, err.filename, err.lineno) == (
        "</Directory> without matching <Directory> section", "site.conf", 2)
    assert str(err).startswith("site.conf:2: ")


def test_mismatched_closing_tag_is_an_error():
    err = error_of("<Directory /x>\n  <Files a.py>\n  </Files>\n</Location>\n")
    assert (err.message, err.filename, err.lineno) == (
        "expected </Directory> but saw </Location>", "site.conf", 4)
    assert str(err).startswith("site.conf:4: ")


def test_unclosed_section_reports_the_opening_line():
    err = error_of("ServerName a\n<Directory /x>\n  SetHandler None\n\n")
    assert (err.message, err.filename, err.lineno) == (
        "<Directory> section opened here was never closed", "site.conf", 2)
    assert str(err).startswith("site.conf:2: ")


def test_unclosed_inner_section_reports_the_inner_opening_line():
    err = error_of("<VirtualHost *>\n<Location /x>\n")
    assert (err.message, err.lineno) == ("<Location> section opened here was never closed", 2)


def test_section_tag_without_closing_bracket_is_an_error():
    err = error_of("ServerName a\n<Directory /x\n</Directory>\n")
    assert (err.message, err.filename, err.lineno) == (
        "missing '>' in section tag", "site.conf", 2)
    assert str(err).startswith("site.conf:2: ")


def test_closing_tag_without_closing_bracket_is_an_error():
    err = error_of("<Directory /x>\n</Directory\n")
    assert (err.message, err.lineno) == ("missing '>' in section tag", 2)


@pytest.mark.parametrize("line, message", [
    ("1Foo bar", "invalid directive name '1Foo'"),
    ("-Foo bar", "invalid directive name '-Foo'"),
    ('"Foo" bar', "invalid directive name '\"Foo\"'"),
    ("Fo=o bar", "invalid directive name 'Fo=o'"),
    ("<1Foo>", "invalid section name '1Foo'"),
    ("<>", "invalid section name ''"),
], ids=["digit", "dash", "quote", "equals", "section-digit", "section-empty"])
def test_invalid_names_are_errors(line, message):
    err = error_of("ServerName a\n" + line + "\n")
    assert (err.message, err.filename, err.lineno) == (message, "site.conf", 2)
    assert str(err).startswith("site.conf:2: ")


# Conditional sections

@pytest.mark.parametrize("module", ["mod_python.c", "python_module", "mod_python", "mod_mime.c",
                                    "dir_module", "core.c", "mod_authz_core.c"])
def test_ifmodule_of_a_loaded_module_keeps_its_contents(module):
    text = ("<IfModule %s>\nPythonDebug On\n</IfModule>\n"
            "<IfModule !%s>\nPythonDebug Off\n</IfModule>\n" % (module, module))
    assert parse_string(text, "site.conf") == [
        Directive("PythonDebug", ("On",), "On", "site.conf", 2),
    ]


@pytest.mark.parametrize("module", ["mod_ssl.c", "ssl_module", "mod_ssl", "mpm_prefork_module",
                                    "prefork.c", "mpm_event_module", "mod_wsgi.c"])
def test_ifmodule_of_a_module_not_loaded_drops_its_contents(module):
    text = ("<IfModule %s>\nSSLEngine On\n</IfModule>\n"
            "<IfModule !%s>\nListen 80\n</IfModule>\n" % (module, module))
    assert parse_string(text, "site.conf") == [
        Directive("Listen", ("80",), "80", "site.conf", 5),
    ]


@pytest.mark.parametrize("name, key", [
    ("mod_python.c", "python"),
    ("python_module", "python"),
    ("mod_python", "python"),
    ("Mod_Auth_Basic.c", "auth_basic"),
    ("core.c", "core"),
    ("core_module", "core"),
])
def test_canonical_module_name(name, key):
    assert canonical_module_name(name) == key


def test_loaded_modules_are_canonical_keys():
    assert all(canonical_module_name(name) == name for name in LOADED_MODULES)
    assert "python" in LOADED_MODULES
    assert not any(name.startswith("mpm_") for name in LOADED_MODULES)


def test_conditional_contents_are_spliced_in_place_inside_a_section():
    text = (
        "<Directory /x>\n"
        "  AddHandler a .a\n"
        "  <IfModule mod_python.c>\n"
        "    SetHandler mod_python\n"
        "    <Files x.py>\n"
        "    </Files>\n"
        "  </IfModule>\n"
        "  AddHandler b .b\n"
        "</Directory>\n"
    )
    assert parse_string(text, "site.conf") == [
        Section("Directory", ("/x",), "/x", (
            Directive("AddHandler", ("a", ".a"), "a .a", "site.conf", 2),
            Directive("SetHandler", ("mod_python",), "mod_python", "site.conf", 4),
            Section("Files", ("x.py",), "x.py", (), "site.conf", 5),
            Directive("AddHandler", ("b", ".b"), "b .b", "site.conf", 8),
        ), "site.conf", 1),
    ]


def test_nested_conditionals():
    text = (
        "<IfModule mod_python.c>\n"
        "  <IfModule !mod_ssl.c>\n"
        "    <IfDefine DEV>\n"
        "      PythonDebug On\n"
        "    </IfDefine>\n"
        "    <IfDefine !DEV>\n"
        "      PythonDebug Off\n"
        "    </IfDefine>\n"
        "  </IfModule>\n"
        "</IfModule>\n"
    )
    assert parse_string(text, "site.conf", defines=["DEV"]) == [
        Directive("PythonDebug", ("On",), "On", "site.conf", 4),
    ]
    assert parse_string(text, "site.conf") == [
        Directive("PythonDebug", ("Off",), "Off", "site.conf", 7),
    ]


def test_false_conditional_contents_are_not_parsed_but_must_nest():
    text = (
        "<IfModule mod_ssl.c>\n"
        "  1nvalid 'unterminated\n"
        "  <Directory /x\n"
        "  </Directory>\n"
        "  Include /does/not/exist.conf\n"
        "</IfModule>\n"
        "Listen 80\n"
    )
    assert parse_string(text, "site.conf") == [Directive("Listen", ("80",), "80", "site.conf", 7)]


def test_false_conditional_with_mismatched_nesting_is_an_error():
    err = error_of("<IfModule mod_ssl.c>\n<Directory /x>\n</Location>\n</IfModule>\n")
    assert (err.message, err.filename, err.lineno) == (
        "expected </Directory> but saw </Location>", "site.conf", 3)


def test_unclosed_conditional_reports_its_opening_line():
    err = error_of("Listen 80\n<IfModule mod_python.c>\nPythonDebug On\n")
    assert (err.message, err.filename, err.lineno) == (
        "<IfModule> section opened here was never closed", "site.conf", 2)


def test_unclosed_false_conditional_reports_its_opening_line():
    err = error_of("Listen 80\n<IfDefine NOPE>\nPythonDebug On\n")
    assert (err.message, err.filename, err.lineno) == (
        "<IfDefine> section opened here was never closed", "site.conf", 2)


def test_conditional_closed_by_another_name_is_an_error():
    err = error_of("<IfModule mod_python.c>\n</IfDefine>\n")
    assert (err.message, err.lineno) == ("expected </IfModule> but saw </IfDefine>", 2)


def test_ifmodule_without_argument_is_an_error():
    err = error_of("Listen 80\n<IfModule>\n</IfModule>\n")
    assert (err.message, err.filename, err.lineno) == (
        "<IfModule> takes exactly one argument", "site.conf", 2)


def test_ifdefine_uses_defines_case_sensitively():
    text = "<IfDefine SSL>\nListen 443\n</IfDefine>\n<IfDefine !SSL>\nListen 80\n</IfDefine>\n"
    assert parse_string(text, "site.conf", defines=("SSL",)) == [
        Directive("Listen", ("443",), "443", "site.conf", 2),
    ]
    assert parse_string(text, "site.conf", defines=("ssl",)) == [
        Directive("Listen", ("80",), "80", "site.conf", 5),
    ]


def test_define_directive_affects_later_ifdefine():
    text = (
        "Define DEV\n"
        "<IfDefine DEV>\nPythonDebug On\n</IfDefine>\n"
        "UnDefine DEV\n"
        "<IfDefine DEV>\nPythonDebug Off\n</IfDefine>\n"
    )
    assert parse_string(text, "site.conf") == [
        Directive("Define", ("DEV",), "DEV", "site.conf", 1),
        Directive("PythonDebug", ("On",), "On", "site.conf", 3),
        Directive("UnDefine", ("DEV",), "DEV", "site.conf", 5),
    ]


def test_apache_version_is_2_4_62():
    assert APACHE_VERSION == (2, 4, 62)


@pytest.mark.parametrize("condition, holds", [
    ("2.4.62", True),
    ("= 2.4.62", True),
    ("== 2.4.62", True),
    ("!= 2.4.62", False),
    ("2.4", False),
    (">= 2.4", True),
    ("> 2.4", True),
    ("< 2.4", False),
    ("<= 2.4", False),
    ("< 2.5", True),
    (">= 2.4.63", False),
    ("> 2", True),
    ("< 3", True),
    ("!< 2.4", True),
    ("~ ^2\\.4", True),
    ("~ ^2\\.2", False),
    ("!~ ^2\\.2", True),
    ("/^2\\.4\\.6[0-9]$/", True),
    ("= /^2\\.2/", False),
    ("!= /^2\\.2/", True),
])
def test_ifversion(condition, holds):
    text = "<IfVersion %s>\nListen 80\n</IfVersion>\n" % condition
    expected = [Directive("Listen", ("80",), "80", "site.conf", 2)] if holds else []
    assert parse_string(text, "site.conf") == expected


@pytest.mark.parametrize("condition, message", [
    ("=> 2.4", "unknown <IfVersion> operator '=>'"),
    (">= 2.x", "invalid <IfVersion> version '2.x' (expected major[.minor[.patch]])"),
    (">= 2.4.1.1", "invalid <IfVersion> version '2.4.1.1' (expected major[.minor[.patch]])"),
    ("/^2", "missing closing '/' of <IfVersion> regular expression"),
    ("~ (", "bad <IfVersion> regular expression '('"),
    ("> 2 3", "<IfVersion> takes an optional operator and a version"),
])
def test_ifversion_errors(condition, message):
    err = error_of("Listen 80\n<IfVersion %s>\n</IfVersion>\n" % condition)
    assert err.message.startswith(message)
    assert (err.filename, err.lineno) == ("site.conf", 2)


# Files and includes

def test_missing_top_level_file_is_an_error(tmp_path):
    path = str(tmp_path / "missing.conf")
    with pytest.raises(ConfigError) as info:
        parse_file(path)
    err = info.value
    assert (err.message, err.filename, err.lineno) == (
        "cannot read configuration: No such file or directory", path, None)


def test_parse_file_reports_the_absolute_filename(tmp_path):
    path = write(tmp_path, "site.conf", "\nServerName a\n")
    assert parse_file(path) == [Directive("ServerName", ("a",), "a", path, 2)]


def test_include_glob_splices_files_in_sorted_order(tmp_path):
    conf_d = tmp_path / "conf.d"
    b = write(conf_d, "b.conf", "Listen 2\n")
    a = write(conf_d, "a.conf", "\nListen 1\n")
    c = write(conf_d, "c.conf", "# only a comment\n<Location /c>\nSetHandler None\n</Location>\n")
    write(conf_d, "skip.txt", "Listen 99\n")
    main = write(tmp_path, "site.conf", "ServerName a\nInclude %s/*.conf\nListen 3\n" % conf_d)
    assert parse_file(main) == [
        Directive("ServerName", ("a",), "a", main, 1),
        Directive("Listen", ("1",), "1", a, 2),
        Directive("Listen", ("2",), "2", b, 1),
        Section("Location", ("/c",), "/c", (
            Directive("SetHandler", ("None",), "None", c, 3),
        ), c, 2),
        Directive("Listen", ("3",), "3", main, 3),
    ]


def test_include_of_a_directory_includes_every_file_recursively_in_name_order(tmp_path):
    conf_d = tmp_path / "conf.d"
    b = write(conf_d, "b", "Listen 2\n")
    a = write(conf_d, "a.conf", "Listen 1\n")
    sub = write(conf_d, "c/x.conf", "Listen 3\n")
    main = write(tmp_path, "site.conf", 'Include "%s"\n' % conf_d)
    assert parse_file(main) == [
        Directive("Listen", ("1",), "1", a, 1),
        Directive("Listen", ("2",), "2", b, 1),
        Directive("Listen", ("3",), "3", sub, 1),
    ]


def test_relative_include_resolves_against_the_config_file_directory(tmp_path):
    inc = write(tmp_path, "conf/extra/python.conf", "PythonDebug On\n")
    main = write(tmp_path, "conf/site.conf", "Include extra/python.conf\n")
    assert parse_file(main) == [Directive("PythonDebug", ("On",), "On", inc, 1)]


def test_relative_include_resolves_against_the_server_root_argument(tmp_path):
    inc = write(tmp_path, "root/extra/python.conf", "PythonDebug On\n")
    main = write(tmp_path, "conf/site.conf", "Include extra/python.conf\n")
    assert parse_file(main, server_root=str(tmp_path / "root")) == [
        Directive("PythonDebug", ("On",), "On", inc, 1),
    ]


def test_relative_include_resolves_against_a_serverroot_directive(tmp_path):
    root = tmp_path / "httpd"
    inc = write(root, "conf.d/app.conf", "PythonDebug On\n")
    write(tmp_path, "conf.d/app.conf", "PythonDebug Off\n")
    main = write(tmp_path, "site.conf", 'ServerRoot "%s"\nInclude conf.d/*.conf\n' % root)
    assert parse_file(main) == [
        Directive("ServerRoot", (str(root),), '"%s"' % root, main, 1),
        Directive("PythonDebug", ("On",), "On", inc, 1),
    ]


def test_relative_serverroot_directive_resolves_against_the_current_root(tmp_path):
    inc = write(tmp_path, "httpd/app.conf", "PythonDebug On\n")
    main = write(tmp_path, "site.conf", "ServerRoot httpd\nInclude app.conf\n")
    assert parse_file(main)[1] == Directive("PythonDebug", ("On",), "On", inc, 1)


def test_serverroot_inside_a_section_does_not_move_the_root(tmp_path):
    inc = write(tmp_path, "app.conf", "PythonDebug On\n")
    main = write(tmp_path, "site.conf",
                 "<VirtualHost *>\nServerRoot /nowhere\n</VirtualHost>\nInclude app.conf\n")
    assert parse_file(main)[1] == Directive("PythonDebug", ("On",), "On", inc, 1)


def test_parse_string_relative_include_without_a_root_is_an_error():
    err = error_of("Listen 80\nInclude extra/python.conf\n")
    assert (err.message, err.filename, err.lineno) == (
        "Include 'extra/python.conf' is a relative path but no ServerRoot is known",
        "site.conf", 2)


def test_parse_string_relative_include_with_server_root(tmp_path):
    inc = write(tmp_path, "extra/python.conf", "PythonDebug On\n")
    assert parse_string("Include extra/python.conf\n", server_root=str(tmp_path)) == [
        Directive("PythonDebug", ("On",), "On", inc, 1),
    ]


def test_include_inside_a_section_splices_into_that_section(tmp_path):
    inc = write(tmp_path, "handlers.conf", "SetHandler mod_python\n<Files *.py>\n</Files>\n")
    main = write(tmp_path, "site.conf",
                 "<Directory /srv>\n  Include handlers.conf\n  PythonDebug On\n</Directory>\n")
    assert parse_file(main) == [
        Section("Directory", ("/srv",), "/srv", (
            Directive("SetHandler", ("mod_python",), "mod_python", inc, 1),
            Section("Files", ("*.py",), "*.py", (), inc, 2),
            Directive("PythonDebug", ("On",), "On", main, 3),
        ), main, 1),
    ]


def test_included_file_may_not_close_a_section_of_the_including_file(tmp_path):
    inc = write(tmp_path, "close.conf", "</Directory>\n")
    main = write(tmp_path, "site.conf", "<Directory /srv>\nInclude close.conf\n</Directory>\n")
    with pytest.raises(ConfigError) as info:
        parse_file(main)
    assert (info.value.filename, info.value.lineno) == (inc, 1)


def test_include_optional_with_no_matches_does_nothing(tmp_path):
    main = write(tmp_path, "site.conf",
                 "IncludeOptional conf.d/*.conf\nIncludeOptional missing.conf\nListen 80\n")
    assert parse_file(main) == [Directive("Listen", ("80",), "80", main, 3)]


def test_include_glob_with_no_matches_is_an_error(tmp_path):
    main = write(tmp_path, "site.conf", "Listen 80\nInclude conf.d/*.conf\n")
    with pytest.raises(ConfigError) as info:
        parse_file(main)
    err = info.value
    assert "no files match" in err.message
    assert (err.filename, err.lineno) == (main, 2)
    assert str(err).startswith("%s:2: " % main)


def test_include_of_a_missing_file_is_an_error(tmp_path):
    main = write(tmp_path, "site.conf", "Listen 80\n\nInclude missing.conf\n")
    with pytest.raises(ConfigError) as info:
        parse_file(main)
    err = info.value
    missing = os.path.join(str(tmp_path), "missing.conf")
    assert err.message == "Include: %s does not exist" % missing
    assert (err.filename, err.lineno) == (main, 3)
    assert str(err).startswith("%s:3: " % main)


def test_include_cycle_is_an_error(tmp_path):
    main = write(tmp_path, "site.conf", "Listen 80\nInclude a.conf\n")
    write(tmp_path, "a.conf", "Include b.conf\n")
    b = write(tmp_path, "b.conf", "Listen 81\n\nInclude site.conf\n")
    with pytest.raises(ConfigError) as info:
        parse_file(main)
    err = info.value
    assert "recursion" in err.message
    assert (err.filename, err.lineno) == (b, 3)


def test_file_including_itself_through_a_glob_is_an_error(tmp_path):
    main = write(tmp_path, "site.conf", "Include *.conf\n")
    with pytest.raises(ConfigError) as info:
        parse_file(main)
    assert "recursion" in info.value.message
    assert (info.value.filename, info.value.lineno) == (main, 1)


def test_same_file_may_be_included_twice_in_sequence(tmp_path):
    inc = write(tmp_path, "inc.conf", "Listen 80\n")
    main = write(tmp_path, "site.conf", "Include inc.conf\nInclude inc.conf\n")
    assert parse_file(main) == [Directive("Listen", ("80",), "80", inc, 1)] * 2


def test_errors_in_included_files_name_that_file_and_line(tmp_path):
    inc = write(tmp_path, "bad.conf", "Listen 80\n\n<Directory /x>\n")
    main = write(tmp_path, "site.conf", "Include bad.conf\n")
    with pytest.raises(ConfigError) as info:
        parse_file(main)
    assert str(info.value) == "%s:3: <Directory> section opened here was never closed" % inc


def test_include_inside_a_false_conditional_is_not_expanded(tmp_path):
    main = write(tmp_path, "site.conf",
                 "<IfModule mod_ssl.c>\nInclude missing.conf\n</IfModule>\nListen 80\n")
    assert parse_file(main) == [Directive("Listen", ("80",), "80", main, 4)]


def test_include_takes_one_argument():
    err = error_of("Include a.conf b.conf\n", server_root="/")
    assert (err.message, err.lineno) == ("Include takes one argument", 1)


def test_included_file_that_cannot_be_read_is_an_error(tmp_path):
    (tmp_path / "conf.d").mkdir()
    dangling = tmp_path / "conf.d" / "gone.conf"
    os.symlink(str(tmp_path / "nowhere.conf"), str(dangling))
    main = write(tmp_path, "site.conf", "Listen 80\nInclude conf.d/*.conf\n")
    with pytest.raises(ConfigError) as info:
        parse_file(main)
    err = info.value
    assert err.message == "cannot read included %s: No such file or directory" % dangling
    assert (err.filename, err.lineno) == (main, 2)


def test_serverroot_takes_one_argument():
    err = error_of("Listen 80\nServerRoot /a /b\n")
    assert (err.message, err.filename, err.lineno) == (
        "ServerRoot takes one argument", "site.conf", 2)


def test_relative_serverroot_without_a_known_root_is_an_error():
    err = error_of("ServerRoot httpd\n")
    assert (err.message, err.filename, err.lineno) == (
        "ServerRoot 'httpd' must be an absolute path", "site.conf", 1)
