# Sourced by the shell integration tests: the configuration they share.
# Not a test itself (tests/tools is not globbed).

# write_config FILE STATE_DIR [LINE...]: a configuration with the state
# directory, the source tree's units and days off ($SRCDIR), then each
# LINE as it is (more sections and keys).
write_config() {
	local file=$1 state=$2
	shift 2
	{
		printf '[daemon]\nstate_dir = %s\n' "$state"
		printf 'units_file = %s/config/units.ini\n' "$SRCDIR"
		printf '[calendar]\ndays_off_file = %s/config/days-off.ini\n' \
		    "$SRCDIR"
		[ $# -eq 0 ] || printf '%s\n' "$@"
	} >"$file"
}
