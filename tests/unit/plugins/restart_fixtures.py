"""/proc texts of simulated controllers, shared by the restart engine and action plugin tests (Linux's formats)."""

WSL_PROC_VERSION = "Linux version 6.6.87.2-microsoft-standard-WSL2 (root@x) (gcc (GCC) 11.2.0) #1 SMP"
PLAIN_PROC_VERSION = "Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12) #1 SMP Debian"

# /proc/net/route of the simulated NAT distro: default via 172.24.208.1 on eth0.
NAT_ROUTE = (
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t01D018AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
    "eth0\t00D018AC\t00000000\t0001\t0\t0\t0\t00F0FFFF\t0\t0\t0\n"
)
# A mirrored distro: default via the LAN router 192.168.178.1; its LAN address 192.168.178.73 is the Windows host's.
MIRRORED_ROUTE = (
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t01B2A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
)
MIRRORED_FIB_TRIE = """Main:
  +-- 0.0.0.0/0 3 0 5
     |-- 0.0.0.0
        /0 universe UNICAST
     +-- 127.0.0.0/8 2 0 2
        +-- 127.0.0.0/31 1 0 0
           |-- 127.0.0.0
              /8 host LOCAL
           |-- 127.0.0.1
              /32 host LOCAL
        |-- 127.255.255.255
           /32 link BROADCAST
     +-- 192.168.178.0/24 2 0 2
        +-- 192.168.178.0/25 2 0 2
           |-- 192.168.178.0
              /24 link UNICAST
           |-- 192.168.178.73
              /32 host LOCAL
        |-- 192.168.178.255
           /32 link BROADCAST
"""
IF_INET6 = (
    "fe80000000000000021155fffe5d0a01 02 40 20 80     eth0\n"
    "2a0104f8000000000000000000000073 02 40 00 80     eth0\n"
    "00000000000000000000000000000001 01 80 10 80       lo\n"
)
