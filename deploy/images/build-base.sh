#!/usr/bin/env bash
# Builds the images' base where no container registry is reachable: a minimal Debian (debootstrap)
# with OpenJDK 17's headless JRE, from Debian's packages only, written as a `docker save`-format
# tar that Jib takes as its base image:
#
#   deploy/images/build-base.sh                       # -> deploy/images/target/debian-jre17.tar
#   mvn -B -Pimages package -Dmodelplane.image.base=tar://$PWD/deploy/images/target/debian-jre17.tar
#
# Where a registry is reachable, skip this: the images' default base is eclipse-temurin:17-jre.
# Needs root (debootstrap), python3. The mirror is the machine's own apt source (DEBIAN_MIRROR
# overrides it), the suite bookworm (DEBIAN_SUITE).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/target}
suite=${DEBIAN_SUITE:-bookworm}
tarball=$out/debian-jre17.tar

log() { printf '[build-base] %s\n' "$*"; }

mirror=${DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$( { cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list \
                 /etc/apt/sources.list.d/*.list 2>/dev/null || true; } \
            | awk '$1 == "URIs:" || $1 == "deb" {print $2}' | grep -E '/debian/?$' | head -1 || true)
fi
[ -n "$mirror" ] || { log "no Debian mirror found in the apt sources: set DEBIAN_MIRROR"; exit 1; }

if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

rootfs=$out/rootfs
rm -rf "$rootfs" && mkdir -p "$rootfs"
log "debootstrap $suite with openjdk-17-jre-headless into $rootfs"
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
  "$suite" "$rootfs" "$mirror" >"$out/debootstrap.log" 2>&1 \
  || { tail -30 "$out/debootstrap.log"; exit 1; }

# Smaller and reproducible: no package caches, lists, logs or docs.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/var/log/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* \
  "$rootfs"/usr/share/locale/* "$rootfs"/tmp/*
chmod 1777 "$rootfs/tmp"
java_home=$(dirname "$(dirname "$(readlink -f "$rootfs/usr/bin/java" | sed "s|^$rootfs||")")")
[ -x "$rootfs$java_home/bin/java" ] || { log "no java in the root file system"; exit 1; }

log "packing the layer"
work=$out/image
rm -rf "$work" && mkdir -p "$work"
tar --numeric-owner --sort=name --mtime='2000-01-01 00:00:00Z' -C "$rootfs" -cf "$work/layer.tar" .

python3 - "$work" "$java_home" "$suite" <<'PY'
import hashlib, json, os, sys
work, java_home, suite = sys.argv[1:4]
def sha(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()
layer = sha(os.path.join(work, 'layer.tar'))
os.rename(os.path.join(work, 'layer.tar'), os.path.join(work, layer + '.tar'))
config = {
    'architecture': 'amd64' if os.uname().machine == 'x86_64' else 'arm64',
    'os': 'linux',
    'created': '2000-01-01T00:00:00Z',
    'config': {
        'Env': ['PATH=' + java_home + '/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
                'JAVA_HOME=' + java_home, 'LANG=C.UTF-8'],
        'Cmd': ['java', '-version'],
        'Labels': {'org.opencontainers.image.description':
                   'Debian ' + suite + ' with openjdk-17-jre-headless (deploy/images/build-base.sh)'},
    },
    'rootfs': {'type': 'layers', 'diff_ids': ['sha256:' + layer]},
    'history': [{'created': '2000-01-01T00:00:00Z', 'created_by': 'deploy/images/build-base.sh'}],
}
data = json.dumps(config, sort_keys=True).encode()
config_name = hashlib.sha256(data).hexdigest() + '.json'
with open(os.path.join(work, config_name), 'wb') as f:
    f.write(data)
with open(os.path.join(work, 'manifest.json'), 'w') as f:
    json.dump([{'Config': config_name, 'RepoTags': ['modelplane-base:debian-jre17'],
                'Layers': [layer + '.tar']}], f)
PY
# Entries named without "./" (Jib refuses to extract "./").
(cd "$work" && tar --sort=name --mtime='2000-01-01 00:00:00Z' -cf "$tarball" -- *)
rm -rf "$work" "$rootfs"
log "wrote $tarball ($(du -h "$tarball" | cut -f1)); Java home $java_home"
