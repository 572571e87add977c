"""Feeds nio-virt's [sriov_nic] export to Neutron's own parsers (Debian 12's python3-neutron):
parse_exclude_devices of the SR-IOV agent and neutron_lib's parse_mappings. Prints them as JSON.
Usage: /usr/bin/python3 neutron_check.py EXPORT_FILE"""
import json
import sys

from neutron.plugins.ml2.drivers.mech_sriov.agent.common import config
from neutron_lib.utils import helpers

values = {}
with open(sys.argv[1]) as export:
    for line in export:
        if '=' in line and not line.startswith('#'):
            key, value = line.split('=', 1)
            values[key.strip()] = [v.strip() for v in value.strip().split(',') if v.strip()]
mappings = helpers.parse_mappings(values['physical_device_mappings'], unique_values=False)
excluded = config.parse_exclude_devices(values['exclude_devices'])
print(json.dumps({'mappings': mappings, 'excluded': {k: sorted(v) for k, v in excluded.items()}}))
