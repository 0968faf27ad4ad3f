"""Unit tests of the rtnetlink decoding in _wslnet: messages laid out byte by byte as linux/netlink.h,
linux/rtnetlink.h, linux/if_link.h and linux/if_addr.h define them. The simulator test
tests/integration/test_wsl_facts.py compares the decoding of the kernel's real answers with `ip -j`."""

from __future__ import annotations

import socket
import struct

import pytest

from ansible_collections.effective.wsl.plugins.module_utils._wslnet import (
    IFADDRMSG,
    IFINFOMSG,
    NLMSG_HEADER,
    RTM_GETADDR,
    RTM_NEWADDR,
    RTM_NEWLINK,
    RTM_NEWROUTE,
    RTMSG,
    rtnetlink_dump_request,
    rtnetlink_to_ip_json,
    split_rtnetlink_answer,
)


def attribute(kind: int, value: bytes) -> bytes:
    data = struct.pack("=HH", 4 + len(value), kind) + value
    return data + bytes(-len(data) % 4)


def message(kind: int, payload: bytes) -> bytes:
    data = NLMSG_HEADER.pack(NLMSG_HEADER.size + len(payload), kind, 2, 1, 0) + payload
    return data + bytes(-len(data) % 4)


def link(index, name, link_type, flags, mtu, mac, operstate):
    return IFINFOMSG.pack(0, link_type, index, flags, 0) + b"".join(
        [
            attribute(3, name.encode() + b"\0"),
            attribute(4, struct.pack("=I", mtu)),
            attribute(1, mac),
            attribute(16, bytes([operstate])),
        ]
    )


def address(family, prefix, scope, index, local, broadcast=None, peer=None):
    attributes = [attribute(1, socket.inet_pton(family, peer or local))]
    if peer:
        attributes.append(attribute(2, socket.inet_pton(family, local)))
    if broadcast:
        attributes.append(attribute(4, socket.inet_pton(family, broadcast)))
    return IFADDRMSG.pack(family, prefix, 0, scope, index) + b"".join(attributes)


def route(dst_len, table, route_type, oif, gateway=None, dst=None, family=socket.AF_INET, table_attribute=None):
    attributes = [attribute(4, struct.pack("=i", oif))]
    if dst:
        attributes.append(attribute(1, socket.inet_pton(family, dst)))
    if gateway:
        attributes.append(attribute(5, socket.inet_pton(family, gateway)))
    if table_attribute is not None:
        attributes.append(attribute(15, struct.pack("=I", table_attribute)))
    return RTMSG.pack(family, dst_len, 0, 0, table, 4, 0, route_type, 0) + b"".join(attributes)


LINKS = [
    link(1, "lo", 772, 0x1 | 0x8 | 0x40 | 0x10000, 65536, bytes(6), 0),
    link(2, "eth0", 1, 0x1 | 0x2 | 0x40 | 0x1000 | 0x10000, 1492, bytes.fromhex("00155da1b2c3"), 6),
]
ADDRESSES = [
    address(socket.AF_INET, 8, 254, 1, "127.0.0.1"),
    address(socket.AF_INET, 20, 0, 2, "172.24.222.66", broadcast="172.24.223.255"),
    address(socket.AF_INET6, 64, 253, 2, "fe80::215:5dff:fea1:b2c3"),
]
ROUTES = [
    route(0, 254, 1, 2, gateway="172.24.208.1"),
    route(20, 254, 1, 2, dst="172.24.208.0"),
    route(8, 255, 2, 1, dst="127.0.0.0"),  # the local table: `ip route` does not show it
    route(0, 254, 1, 2, gateway="fe80::1", family=socket.AF_INET6),  # IPv6: `ip -j route` shows IPv4 only
]


def test_decodes_links_addresses_and_routes_as_ip_prints_them():
    links, routes = rtnetlink_to_ip_json(LINKS, ADDRESSES, ROUTES)
    assert links == [
        {
            "ifindex": 1,
            "ifname": "lo",
            "flags": ["LOOPBACK", "UP", "LOWER_UP"],
            "mtu": 65536,
            "operstate": "UNKNOWN",
            "link_type": "loopback",
            "address": "00:00:00:00:00:00",
            "addr_info": [
                {
                    "family": "inet",
                    "local": "127.0.0.1",
                    "prefixlen": 8,
                    "scope": "host",
                    "broadcast": None,
                    "label": None,
                },
            ],
        },
        {
            "ifindex": 2,
            "ifname": "eth0",
            "flags": ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"],
            "mtu": 1492,
            "operstate": "UP",
            "link_type": "ether",
            "address": "00:15:5d:a1:b2:c3",
            "addr_info": [
                {
                    "family": "inet",
                    "local": "172.24.222.66",
                    "prefixlen": 20,
                    "scope": "global",
                    "broadcast": "172.24.223.255",
                    "label": None,
                },
                {"family": "inet6", "local": "fe80::215:5dff:fea1:b2c3", "prefixlen": 64, "scope": "link"},
            ],
        },
    ]
    assert routes == [
        {"dst": "default", "gateway": "172.24.208.1", "dev": "eth0"},
        {"dst": "172.24.208.0/20", "dev": "eth0"},
    ]


def test_up_without_carrier_and_noarp_flags():
    links, _routes = rtnetlink_to_ip_json([link(3, "loopback0", 1, 0x1 | 0x2 | 0x80, 1500, bytes(6), 2)], [], [])
    assert links[0]["flags"] == ["NO-CARRIER", "BROADCAST", "NOARP", "UP"]
    assert links[0]["operstate"] == "DOWN"


def test_point_to_point_address_is_the_local_one_not_the_peer():
    links, _routes = rtnetlink_to_ip_json(LINKS, [address(socket.AF_INET, 32, 0, 2, "10.0.0.2", peer="10.0.0.1")], [])
    assert links[1]["addr_info"][0]["local"] == "10.0.0.2"


def test_table_attribute_overrides_the_header_table():
    # A table id above 255 fits only RTA_TABLE; the header's one-byte field then holds RT_TABLE_COMPAT (252).
    _links, routes = rtnetlink_to_ip_json(
        LINKS,
        [],
        [
            route(0, 0, 1, 2, gateway="192.0.2.1", table_attribute=254),
            route(0, 252, 1, 2, gateway="192.0.2.9", table_attribute=1000),
        ],
    )
    assert routes == [{"dst": "default", "gateway": "192.0.2.1", "dev": "eth0"}]


def test_address_of_an_unknown_link_is_dropped_and_a_route_names_no_device():
    links, routes = rtnetlink_to_ip_json(LINKS[:1], ADDRESSES[1:2], [route(0, 254, 1, 7, gateway="192.0.2.1")])
    assert links[0]["addr_info"] == []
    assert routes == [{"dst": "default", "gateway": "192.0.2.1", "dev": None}]


def test_split_answer_until_done():
    first = message(RTM_NEWLINK, LINKS[0]) + message(RTM_NEWLINK, LINKS[1])
    messages, done = split_rtnetlink_answer(first)
    assert done is False
    assert messages == [(RTM_NEWLINK, LINKS[0]), (RTM_NEWLINK, LINKS[1])]
    messages, done = split_rtnetlink_answer(message(RTM_NEWROUTE, ROUTES[0]) + message(3, struct.pack("=i", 0)))
    assert (messages, done) == ([(RTM_NEWROUTE, ROUTES[0])], True)


def test_error_answer_raises_with_the_errno():
    with pytest.raises(OSError, match="errno 1") as raised:
        split_rtnetlink_answer(message(2, struct.pack("=i", -1) + bytes(16)))
    assert raised.value.errno == 1


def test_truncated_answer_raises():
    data = message(RTM_NEWADDR, ADDRESSES[0])
    with pytest.raises(OSError, match="truncated"):
        split_rtnetlink_answer(data[:-8])


def test_dump_request_layout():
    request = rtnetlink_dump_request(RTM_GETADDR, IFADDRMSG, 7)
    assert NLMSG_HEADER.unpack_from(request) == (NLMSG_HEADER.size + IFADDRMSG.size, RTM_GETADDR, 0x301, 7, 0)
    assert request[NLMSG_HEADER.size :] == bytes(IFADDRMSG.size)
