# Sourced by scripts/demo and scripts/test: installs the Debian 12 packages
# the build and the tests need, when some are missing (apt-get, as root).
DEADLINED_PACKAGES="build-essential cmake pkg-config clang
 libsqlite3-dev libical-dev libinih-dev libcurl4-openssl-dev libssl-dev
 libjansson-dev libmicrohttpd-dev libsystemd-dev libcmocka-dev zlib1g-dev
 libzip-dev libxml2-dev libxlsxwriter-dev libqrencode-dev chromium
 sqlite3 openssl curl valgrind debhelper dpkg-dev lintian time
 python3 python3-aiosmtpd python3-icalendar python3-recurring-ical-events
 python3-ephem python3-dateutil nodejs npm python3-docx python3-openpyxl
 python3-uno libreoffice-writer-nogui libreoffice-calc-nogui remind"

install_deps() {
	local missing=() p
	for p in $DEADLINED_PACKAGES; do
		# A nodejs of another source brings its own npm.
		[ "$p" = npm ] && command -v npm >/dev/null && continue
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages: ${missing[*]}" >&2
		echo "run as root, or: sudo apt-get install ${missing[*]}" >&2
		return 1
	fi
	echo "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
}
