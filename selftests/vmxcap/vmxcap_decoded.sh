#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Loads the module on a VMX CPU, then runs vmxcap_decoded (decoded files
# against the userspace decoder applied to the raw values).
. "$(dirname "$0")/vmxcap_lib.sh"

require_vmx_module
exec "$VMXCAP_DIR/vmxcap_decoded"
