"""Error texts name the builtin type of a task value, never ansible-core's tagged subclass (_AnsibleTaggedStr)."""

from __future__ import annotations

import pytest

try:
    from ansible._internal._datatag._tags import Origin
except ImportError:  # ansible-core < 2.19: the YAML loader's AnsibleUnicode/AnsibleSequence subclass str and list
    Origin = None

from ansible_collections.effective.wsl.plugins.module_utils._typename import builtin_type_name
from ansible_collections.effective.wsl.plugins.module_utils._winpath import WinPathError, to_wsl_path
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_codec import WslConfError
from ansible_collections.effective.wsl.plugins.module_utils._wslconf_edit import validate_settings
from ansible_collections.effective.wsl.plugins.plugin_utils._certs import (
    CertificateInputError,
    parse_certificates_option,
)


def tagged(value):
    """A value as a playbook hands it to a plugin: wrapped in ansible-core's data-tagging subclass."""
    if Origin is None:
        from ansible.parsing.yaml.objects import AnsibleSequence, AnsibleUnicode

        return {str: AnsibleUnicode, list: AnsibleSequence}[type(value)](value)
    return Origin(path="/play.yml", line_num=3).tag(value)


def test_tagged_values_have_private_type_names():
    # What the old messages showed: _AnsibleTaggedStr (2.19 and later), AnsibleUnicode (before).
    assert type(tagged("x")).__name__ in ("_AnsibleTaggedStr", "AnsibleUnicode")
    assert (builtin_type_name(tagged("x")), builtin_type_name(tagged([1])), builtin_type_name(3)) == (
        "str",
        "list",
        "int",
    )


def test_wslconf_settings_error_names_the_builtin_type():
    with pytest.raises(WslConfError) as error:
        validate_settings(tagged("memory=8GB"), "wslconfig")
    assert "got str 'memory=8GB'" in str(error.value)
    assert "_AnsibleTagged" not in str(error.value)


def test_wslconf_value_error_names_the_builtin_type():
    with pytest.raises(WslConfError) as error:
        validate_settings({"wsl2": {"memory": tagged(["8GB"])}}, "wslconfig")
    assert "is a list" in str(error.value)
    assert "_AnsibleTagged" not in str(error.value)


def test_certificate_input_error_names_the_builtin_type():
    with pytest.raises(CertificateInputError) as error:
        parse_certificates_option([tagged(["not", "a", "certificate"])])
    assert "is a list" in str(error.value)
    assert "_AnsibleTagged" not in str(error.value)


def test_winpath_error_names_the_builtin_type():
    with pytest.raises(WinPathError) as error:
        to_wsl_path(tagged(["C:\\x"]))
    assert "got list" in str(error.value)
