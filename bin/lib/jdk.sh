# Sourced by bin/test and bin/demo: the JDK 22 or later that the OpenSSL engine needs.

# java_feature JAVA: prints the feature version (17, 25, ...) of the java command JAVA, or nothing
java_feature() {
  local version
  version="$("$1" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')"
  version="${version%%.*}"
  if [[ "$version" =~ ^[0-9]+$ ]]; then
    printf '%s\n' "$version"
  fi
}

# find_jdk22 [HOME...]: prints the first JDK 22 or later among REPRISE_JDK22_HOME, the HOMEs given, and the
# JDKs under /usr/lib/jvm, newest first; fails when there is none
find_jdk22() {
  local home version
  for home in ${REPRISE_JDK22_HOME:-} "$@" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    [[ -n "$home" && -x "$home/bin/java" ]] || continue
    version="$(java_feature "$home/bin/java")"
    if [[ -n "$version" ]] && ((version >= 22)); then
      printf '%s\n' "${home%/}"
      return 0
    fi
  done
  return 1
}
