#!/usr/bin/env bash
# The consumer check (docs/releasing.md, "Consumer check"): installs the library's artifacts into a throwaway local
# repository, then builds the separate projects in it/ (consumer: class path; consumer-jpms: a named module) against
# that repository alone and runs them on the class path and on the module path, with and without the Vector API
# module. Fails (non-zero) when any step, run or expected line fails.
#
#   bash it/run-consumer.sh                 # from anywhere; leaves nothing behind but the reactor's target/ folders
#   bash it/run-consumer.sh --release       # install as a release would (-Pcentral -Dgpg.skip): sources and javadoc
#                                           # jars are then required too
#   WENGERT_IT_KEEP=1 bash it/run-consumer.sh   # keep the throwaway folder (repository, projects, logs) and say where
#   WENGERT_IT_SEED=~/.m2/repository bash it/run-consumer.sh   # start from a copy of that repository (faster, offline)
#
# The throwaway repository starts empty: Maven fetches the build's plugins and dependencies into it from the
# configured remote (one to two minutes), so a dependency that resolves only from someone's own local repository
# fails here too. With WENGERT_IT_SEED it starts as a copy of the given repository without its dev/wengert folder.
# Either way the only dev.wengert artifacts in it are the ones this install puts there.
set -euo pipefail

release=
case "${1:-}" in
  --release) release=1 ;;
  "") ;;
  *) echo "usage: $0 [--release]" >&2; exit 2 ;;
esac

fail() {
  echo "consumer check FAILED: $*" >&2
  exit 1
}

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$SECONDS

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wengert-consumer.XXXXXX")
if [[ "${WENGERT_IT_KEEP:-}" == 1 ]]; then
  trap 'echo "consumer check: kept $tmp"' EXIT
else
  trap 'rm -rf "$tmp"' EXIT
fi
repo=$tmp/repo
log=$tmp/log
mkdir -p "$repo" "$log"
if [[ -n "${WENGERT_IT_SEED:-}" ]]; then
  [[ -d "$WENGERT_IT_SEED" ]] || fail "WENGERT_IT_SEED=$WENGERT_IT_SEED is not a folder"
  (cd "$WENGERT_IT_SEED" && tar --exclude=./dev/wengert -cf - .) | (cd "$repo" && tar -xf -)
fi

# The version a user would put in the BOM import: the root pom's own (its first <version>, the project's).
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)
[[ -n "$version" ]] || fail "no <version> in pom.xml"
bom_version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' bom/pom.xml | head -n 1)
[[ "$bom_version" == "$version" ]] || fail "wengert-bom is $bom_version but the parent is $version"

# 1. Install the library (the parent, the BOM, core, ops, nn, rnn) into the throwaway repository.
install=(-B -q -DskipTests -Dmaven.repo.local="$repo" -pl bom,core,ops,nn,rnn -am)
if [[ -n "$release" ]]; then install+=(-Pcentral -Dgpg.skip); fi
t=$SECONDS
mvn "${install[@]}" install > "$log/install.log" 2>&1 \
  || { cat "$log/install.log"; fail "mvn install"; }
echo "consumer check: installed dev.wengert:*:$version into a fresh local repository${WENGERT_IT_SEED:+ (seeded from $WENGERT_IT_SEED)} ($((SECONDS - t)) s)"

# What was installed: a pom for the parent and the BOM; a pom and a jar named as a module for each library module.
installed=$repo/dev/wengert
for a in parent bom; do
  [[ -f "$installed/wengert-$a/$version/wengert-$a-$version.pom" ]] || fail "wengert-$a-$version.pom not installed"
done
for m in core ops nn rnn; do
  jar=$installed/wengert-$m/$version/wengert-$m-$version.jar
  [[ -f "$jar" && -f "$installed/wengert-$m/$version/wengert-$m-$version.pom" ]] || fail "wengert-$m $version not installed"
  # The module the JVM makes of the jar: named by the manifest's Automatic-Module-Name, not the file name.
  module=$(jar --describe-module --file "$jar" 2>&1) || fail "jar --describe-module wengert-$m: $module"
  [[ $'\n'"$module"$'\n' == *$'\n'"dev.wengert.$m@$version automatic"$'\n'* ]] \
    || fail "wengert-$m is not the automatic module dev.wengert.$m: $module"
  # Sources and javadoc jars are attached only by the release profile (-Pcentral, docs/releasing.md): required
  # with --release; a plain install has none.
  if [[ -n "$release" ]]; then
    src=$installed/wengert-$m/$version/wengert-$m-$version-sources.jar
    doc=$installed/wengert-$m/$version/wengert-$m-$version-javadoc.jar
    [[ -f "$src" ]] || fail "wengert-$m: no sources jar"
    [[ -f "$doc" ]] || fail "wengert-$m: no javadoc jar"
    [[ $'\n'$(jar tf "$src") == *.java* ]] || fail "wengert-$m: no .java file in the sources jar"
    [[ $'\n'$(jar tf "$doc")$'\n' == *$'\n'index.html$'\n'* ]] || fail "wengert-$m: no index.html in the javadoc jar"
  fi
done

# 2. Build the consumers outside the source tree, against the throwaway repository only.
cp -r it "$tmp/it"
rm -rf "$tmp"/it/*/target
t=$SECONDS
mvn -B -q -f "$tmp/it/pom.xml" -Dmaven.repo.local="$repo" -Dwengert.version="$version" package > "$log/consumer.log" 2>&1 \
  || { cat "$log/consumer.log"; fail "building the consumer projects"; }
echo "consumer check: built it/consumer and it/consumer-jpms against it ($((SECONDS - t)) s)"

cp_dir=$tmp/it/consumer/target
mp_dir=$tmp/it/consumer-jpms/target
expected="wengert-core-$version.jar wengert-nn-$version.jar wengert-ops-$version.jar wengert-rnn-$version.jar"
for d in "$cp_dir" "$mp_dir"; do
  # A user's runtime dependencies are Wengert's four jars: no optional dependency (XChart) and no test library.
  got=$(cd "$d/lib" && ls | sort | tr '\n' ' ' | sed 's/ $//')
  [[ "$got" == "$expected" ]] || fail "runtime dependencies of ${d#"$tmp"/}: $got (expected $expected)"
  # ... and the very jars that were installed.
  for m in core ops nn rnn; do
    cmp -s "$d/lib/wengert-$m-$version.jar" "$installed/wengert-$m/$version/wengert-$m-$version.jar" \
      || fail "${d#"$tmp"/}/lib/wengert-$m-$version.jar is not the installed jar"
  done
done
# The module path as a whole: no split packages, no two modules of one name.
java -p "$mp_dir/wengert-consumer-jpms-1.jar:$mp_dir/lib" --validate-modules > "$log/validate.log" 2>&1 \
  || { cat "$log/validate.log"; fail "java --validate-modules"; }

# 3. Run: class path and module path, each with the Vector API module and without it (the plain-Java kernels).
notice='Wengert is using its plain-Java kernels'
run() { # run <name> <mode: classpath|modulepath> <vector: yes|no> java-arguments...
  local name=$1 mode=$2 vector=$3
  shift 3
  local out=$log/$name.out err=$log/$name.err
  t=$SECONDS
  local rc=0
  java "$@" > "$out" 2> "$err" || rc=$?
  [[ $rc == 0 ]] || { cat "$out" "$err"; fail "$name: exit code $rc"; }
  local line
  line=$(grep '^consumer OK' "$out") || { cat "$out" "$err"; fail "$name: no 'consumer OK' line"; }
  [[ "$line" == "consumer OK ($mode) "* ]] || fail "$name: ran as '${line#consumer OK }', not on the $mode"
  if [[ "$mode" == modulepath ]]; then
    [[ "$line" == *" module=org.example.consumer wengert-module=dev.wengert.core;"* ]] \
      || fail "$name: not the named modules org.example.consumer and dev.wengert.core: $line"
  fi
  if grep -q 'NoClassDefFoundError\|ClassNotFoundException\|IllegalAccessError' "$out" "$err"; then
    cat "$err"; fail "$name: a class failed to load"
  fi
  local notices
  notices=$(grep -c "$notice" "$err" || true)
  if [[ "$vector" == yes ]]; then
    # With the module, the vector kernels load from Wengert's jar (unless this CPU has no SIMD worth the name).
    [[ "$line" != *"failed to"* && "$line" != *"not present"* ]] || fail "$name: vector kernels did not load: $line"
    if [[ "$line" == *"gemm=vector("* && "$notices" != 0 ]]; then cat "$err"; fail "$name: fallback notice with the vector kernels"; fi
  else
    [[ "$line" == *"gemm=scalar fallback (jdk.incubator.vector not present"* ]] || fail "$name: not the scalar fallback: $line"
    [[ "$notices" == 1 ]] || { cat "$err"; fail "$name: the fallback notice was logged $notices times, not once"; }
  fi
  echo "consumer check: $name ($((SECONDS - t)) s): $line"
}
vec=--add-modules=jdk.incubator.vector
main=org.example.consumer.ConsumerCheck
run classpath-vector   classpath  yes $vec -cp "$cp_dir/wengert-consumer-1.jar:$cp_dir/lib/*" $main
run classpath-scalar   classpath  no       -cp "$cp_dir/wengert-consumer-1.jar:$cp_dir/lib/*" $main
run modulepath-vector  modulepath yes $vec -p "$mp_dir/wengert-consumer-jpms-1.jar:$mp_dir/lib" -m org.example.consumer/$main
run modulepath-scalar  modulepath no       -p "$mp_dir/wengert-consumer-jpms-1.jar:$mp_dir/lib" -m org.example.consumer/$main

echo "consumer check: OK, dev.wengert $version${release:+ (release profile: with sources and javadoc jars)} from a fresh local repository, class path and module path ($((SECONDS - start)) s)"
