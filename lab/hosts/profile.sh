# shellcheck shell=bash
# Reads lab host profiles (profiles/NAME.properties: "key = value" lines, # comments) as data:
# nothing in a profile is executed. Sourced by run-host.sh and inside.sh.

# profile_value FILE KEY: the value of KEY (empty when absent); the last line for a key wins.
profile_value() {
    awk -v key="$2" '
        /^[ \t]*#/ { next }
        {
            eq = index($0, "=")
            if (eq == 0) next
            k = substr($0, 1, eq - 1); gsub(/^[ \t]+|[ \t]+$/, "", k)
            if (k != key) next
            v = substr($0, eq + 1); gsub(/^[ \t]+|[ \t]+$/, "", v)
            value = v
        }
        END { print value }' "$1"
}
