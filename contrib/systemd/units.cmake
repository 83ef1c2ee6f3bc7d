# Writes deadlined.service, deadlined.sysusers and deadlined.tmpfiles for the
# configured paths into DEADLINED_UNITS_OUTPUT, from the .in files beside
# this one.  Included by CMakeLists.txt; tests run it as a script:
#   cmake -DDEADLINED_SBINDIR=/usr/sbin -DDEADLINED_SYSCONFDIR=/etc/deadlined \
#       -DDEADLINED_STATEDIR=/var/lib/deadlined -DDEADLINED_UNITS_OUTPUT=DIR \
#       -P contrib/systemd/units.cmake
foreach(var DEADLINED_SBINDIR DEADLINED_SYSCONFDIR DEADLINED_STATEDIR
    DEADLINED_UNITS_OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "units.cmake: ${var} is not set")
  endif()
endforeach()

# systemd creates a StateDirectory= only under /var/lib and a
# ConfigurationDirectory= only under /etc; elsewhere (a /usr/local install:
# /usr/local/var/lib/deadlined) the tmpfiles snippet creates the directory
# and the unit makes it writable inside ProtectSystem=strict.
if(DEADLINED_STATEDIR MATCHES "^/var/lib/(.+)$")
  set(DEADLINED_UNIT_STATE
    "StateDirectory=${CMAKE_MATCH_1}\nStateDirectoryMode=0750")
else()
  set(DEADLINED_UNIT_STATE "ReadWritePaths=${DEADLINED_STATEDIR}")
endif()
if(DEADLINED_SYSCONFDIR MATCHES "^/etc/(.+)$")
  set(DEADLINED_UNIT_CONFIG
    "ConfigurationDirectory=${CMAKE_MATCH_1}\nConfigurationDirectoryMode=0755")
else()
  set(DEADLINED_UNIT_CONFIG "# (created by the tmpfiles snippet)")
endif()

foreach(name deadlined.service deadlined.sysusers deadlined.tmpfiles)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/${name}.in
    ${DEADLINED_UNITS_OUTPUT}/${name} @ONLY)
endforeach()
