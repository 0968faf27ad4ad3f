#!/bin/sh
# effective.wsl pull mode, distro side (role effective.wsl.wsl_pull). wsl_pull.ps1 starts it as root in each
# listed distro: wsl.exe -d <distro> -u root --cd "<script dir>" --exec /bin/sh ./wsl_pull.sh --url ... --ref ...
#
# 1. Bootstrap, once: when /opt/effective.wsl/pull/venv/bin/ansible-pull is missing, install git and Python 3 with
#    the distro's package manager (apt-get, dnf, zypper, pacman or apk, chosen by ID/ID_LIKE of /etc/os-release),
#    then a venv with the pinned ansible-core.
# 2. ansible-pull of the repository at the pinned ref into /var/lib/effective.wsl/pull/checkout, with the callback
#    effective.wsl.wsl_pull_status, which writes the status record into the Windows user's profile (--status-dir,
#    a Windows path translated under the automount root). The collections come from the repository (vendored
#    under collections/ next to the playbook, so the ref pins them too) or from the venv.
#
# Exit code: ansible-pull's, or 3 for bad arguments, 4 when the bootstrap fails.
# WSL_PULL_DRY_RUN=1 prints the bootstrap commands instead of running them (tests).
set -eu

VENV=/opt/effective.wsl/pull/venv
CHECKOUT=/var/lib/effective.wsl/pull/checkout
OS_RELEASE=/etc/os-release

url='' ref='' playbook=local.yml inventory='' limit='' status_dir='' restart_policy=auto
ansible_core='ansible-core>=2.16' ansible_pull='' bootstrap_only=''

usage() {
    echo "usage: wsl_pull.sh --url URL --ref REF --status-dir WINDOWS_DIR [--playbook FILE] [--inventory FILE]" >&2
    echo "       [--limit PATTERN] [--restart-policy auto|never] [--ansible-core REQUIREMENT]" >&2
    echo "       [--ansible-pull PATH] [--os-release FILE] [--bootstrap-only]" >&2
    exit 3
}

while [ $# -gt 0 ]; do
    case $1 in
    --url | --ref | --playbook | --inventory | --limit | --status-dir | --restart-policy | --ansible-core | \
        --ansible-pull | --os-release)
        [ $# -ge 2 ] || usage
        case $1 in
        --url) url=$2 ;;
        --ref) ref=$2 ;;
        --playbook) playbook=$2 ;;
        --inventory) inventory=$2 ;;
        --limit) limit=$2 ;;
        --status-dir) status_dir=$2 ;;
        --restart-policy) restart_policy=$2 ;;
        --ansible-core) ansible_core=$2 ;;
        --ansible-pull) ansible_pull=$2 ;;
        --os-release) OS_RELEASE=$2 ;;
        esac
        shift 2
        ;;
    --bootstrap-only)
        bootstrap_only=1
        shift
        ;;
    *) usage ;;
    esac
done

run() {
    if [ -n "${WSL_PULL_DRY_RUN:-}" ]; then
        echo "+ $*"
    else
        "$@"
    fi
}

os_release_value() {
    # ID=ubuntu / ID_LIKE="rhel fedora": the value without quotes, empty when absent.
    sed -n "s/^$1=//p" "$OS_RELEASE" | head -n 1 | tr -d '"'"'"
}

install_packages() {
    families="$(os_release_value ID) $(os_release_value ID_LIKE)"
    for family in $families; do
        case $family in
        debian | ubuntu)
            run apt-get update -qq
            run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                git python3 python3-venv ca-certificates
            return 0
            ;;
        fedora | rhel | centos)
            run dnf install -y -q git-core python3
            return 0
            ;;
        suse | opensuse | opensuse-leap | opensuse-tumbleweed | sles)
            run zypper --non-interactive --quiet install --no-recommends git-core python3
            return 0
            ;;
        arch | archlinux)
            run pacman -Sy --noconfirm --needed git python
            return 0
            ;;
        alpine)
            run apk add --no-cache git python3 py3-pip
            return 0
            ;;
        esac
    done
    echo "wsl_pull.sh: no package manager known for this distro (ID/ID_LIKE: $families); install git and python3" \
        "with venv support, or ansible-core into $VENV" >&2
    return 1
}

bootstrap() {
    install_packages || return 1
    run python3 -m venv "$VENV" || return 1
    run "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$ansible_core" || return 1
}

if [ -n "$bootstrap_only" ]; then
    bootstrap || exit 4
    exit 0
fi

if [ -z "$url" ] || [ -z "$ref" ] || [ -z "$status_dir" ]; then
    usage
fi
case $restart_policy in auto | never) ;; *) usage ;; esac

if [ -z "$ansible_pull" ]; then
    ansible_pull=$VENV/bin/ansible-pull
    if [ ! -x "$ansible_pull" ]; then
        echo "wsl_pull.sh: $ansible_pull is missing: bootstrapping"
        bootstrap || {
            echo "wsl_pull.sh: bootstrap failed" >&2
            exit 4
        }
    fi
fi

EFFECTIVE_WSL_PULL_STATUS_DIR=$status_dir
EFFECTIVE_WSL_PULL_REF=$ref
EFFECTIVE_WSL_PULL_RESTART_POLICY=$restart_policy
ANSIBLE_CALLBACKS_ENABLED=effective.wsl.wsl_pull_status${ANSIBLE_CALLBACKS_ENABLED:+,$ANSIBLE_CALLBACKS_ENABLED}
export EFFECTIVE_WSL_PULL_STATUS_DIR EFFECTIVE_WSL_PULL_REF EFFECTIVE_WSL_PULL_RESTART_POLICY ANSIBLE_CALLBACKS_ENABLED

set -- --url "$url" --checkout "$ref" --directory "$CHECKOUT"
[ -z "$inventory" ] || set -- "$@" --inventory "$inventory"
[ -z "$limit" ] || set -- "$@" --limit "$limit"
exec "$ansible_pull" "$@" "$playbook"
