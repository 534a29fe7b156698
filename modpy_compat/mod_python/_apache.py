"""``_apache``: mod_python's low-level module, for code that imports it directly."""
from modpy_compat.constants import SERVER_RETURN  # noqa: F401
from modpy_compat.mod_python.apache import (  # noqa: F401
    config_tree, exists_config_define, log_error, mpm_query, register_cleanup, server_root, stat,
    table)
from modpy_compat.forms import parse_qs, parse_qsl  # noqa: F401,E402
