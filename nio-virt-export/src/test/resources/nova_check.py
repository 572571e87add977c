"""Feeds nio-virt's [pci] export to Nova's own code (Debian 12's python3-nova, Nova 26):
nova.pci.whitelist.Whitelist parses every device_spec, and each alias is validated against
nova.pci.request._ALIAS_SCHEMA. Prints, as JSON, which of the given devices Nova would assign.
Usage: /usr/bin/python3 nova_check.py EXPORT_FILE DEVICES_JSON"""
import json
import sys

import jsonschema
from nova.pci import request
from nova.pci import whitelist

specs, aliases = [], []
with open(sys.argv[1]) as export:
    for line in export:
        line = line.strip()
        if line.startswith('device_spec = '):
            specs.append(line[len('device_spec = '):])
        elif line.startswith('alias = '):
            aliases.append(line[len('alias = '):])
for alias in aliases:
    jsonschema.validate(json.loads(alias), request._ALIAS_SCHEMA)
allowed = whitelist.Whitelist(specs)
with open(sys.argv[2]) as devices:
    result = {d['address']: allowed.device_assignable(d) for d in json.load(devices)}
print(json.dumps({'specs': len(specs), 'aliases': len(aliases), 'assignable': result}))
